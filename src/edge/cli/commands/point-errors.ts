import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';

export function warn(message: string): void {
  note(`warning: ${message}`);
}

/**
 * Origins that could not be placed are warnings while others were answered (a batch of 500 should
 * not fail for one stray point); when none was answered there is nothing to write and the run fails.
 */
export function reportPointErrors(errors: string[], answered: number, what: string): void {
  if (answered === 0 && errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more: no ${what} could be placed on the network)` : '';
    throw new BadInputError(`${errors[0]}${more}`);
  }
  for (const error of errors) warn(error);
}
