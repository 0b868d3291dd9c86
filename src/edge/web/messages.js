/**
 * Every error and warning of the last analysis and the last files dropped, kept until the next one
 * (issue 16: they used to flash and vanish). Grouped by source — a file, or the analysis — and,
 * within it, by feature. The list is a <details> the planner opens and closes; its summary counts
 * errors and warnings. An entry may carry actions (swap the coordinates of a refused file…).
 *
 * Entries are stored as functions of the language, so switching to English re-renders them in it.
 */
import { fill, h } from './dom.js';
import { t } from './i18n.js';

export class MessageLog {
  constructor(container) {
    this.container = container;
    /** source key → { title: () => string, entries: [{ level, text: () => string, actions?: [{label, run}] }] } */
    this.sources = new Map();
    this.open = false;
    this.render();
  }

  /** Replaces what `key` said (a file's name, or 'analysis'); no entries removes it. */
  set(key, title, entries) {
    if (entries.length) this.sources.set(key, { title, entries });
    else this.sources.delete(key);
    this.render();
  }

  clear(key) {
    this.set(key, null, []);
  }

  /** Forgets every source whose key starts with `prefix` (a new drop: the files said before are gone). */
  clearPrefix(prefix) {
    for (const key of [...this.sources.keys()]) if (key.startsWith(prefix)) this.sources.delete(key);
    this.render();
  }

  /** Opens the list (after an analysis with errors: the planner sees them without looking). */
  reveal() {
    this.open = true;
    this.render();
  }

  counts() {
    let errors = 0;
    let warnings = 0;
    for (const { entries } of this.sources.values()) for (const e of entries) e.level === 'error' ? errors++ : e.level === 'warn' ? warnings++ : 0;
    return { errors, warnings };
  }

  render() {
    const { errors, warnings } = this.counts();
    const details = h('details', { 'data-testid': 'messages', class: 'messages', open: this.open, ontoggle: (e) => (this.open = e.target.open) },
      h('summary', { 'data-testid': 'messages-summary' }, `${t('messages')}: `,
        h('span', { class: errors ? 'count-error' : 'count-none' }, `${errors} ${t('errorsCount')}`), ' · ',
        h('span', { class: warnings ? 'count-warn' : 'count-none' }, `${warnings} ${t('warningsCount')}`)),
      this.sources.size === 0 ? h('p', { class: 'hint' }, t('noMessages')) : null,
      // What the page and the server said of one file, under its name once.
      [...groupBy([...this.sources.values()], (source) => source.title())].map(([title, entries]) =>
        h('div', { class: 'message-source' },
          h('h4', {}, title),
          h('ul', { class: 'message-list' }, entries.map((e) =>
            h('li', { class: `level-${e.level}`, 'data-level': e.level },
              h('span', { class: 'mark', 'aria-hidden': 'true' }, e.level === 'error' ? '✗ ' : e.level === 'warn' ? '⚠ ' : 'ℹ '),
              e.text(),
              (e.actions ?? []).map((a) => h('button', { type: 'button', class: 'inline-action', 'data-testid': a.testid, onclick: a.run }, a.label()))))))),
    );
    fill(this.container, details);
  }
}

/** title → every entry of the sources with that title, in the order they were set. */
function groupBy(sources, titleOf) {
  const groups = new Map();
  for (const source of sources) {
    const title = titleOf(source);
    groups.set(title, [...(groups.get(title) ?? []), ...source.entries]);
  }
  return groups;
}
