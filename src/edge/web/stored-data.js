/**
 * Stored datasets and runs (they belong to an API key): the key is kept in this browser's
 * localStorage, sent as `x-api-key`, and never shown again in full. Lists the key's datasets by
 * kind, to analyse a chosen network / facility set / community set, and its runs, to open one.
 * A key the server rejects is said to be rejected (public analyses go on without it, api.js), and
 * the key is cleared in one click.
 */
import { getApiKey, getJson, getKeyState, onKeyState, setApiKey } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export class StoredData {
  constructor(container, { onAnalyse, onOpenRun, onError }) {
    this.container = container;
    this.onAnalyse = onAnalyse;
    this.onOpenRun = onOpenRun;
    this.onError = onError;
    this.datasets = [];
    this.runs = [];
    this.render();
    onKeyState(() => this.render());
  }

  render() {
    const key = h('input', { type: 'password', autocomplete: 'off', placeholder: t('apiKey'), value: getApiKey(), 'aria-label': t('apiKey'), 'data-testid': 'api-key' });
    const lists = h('div', { class: 'stored-lists' });
    const state = getKeyState();
    this.container.replaceChildren(
      h('div', { class: 'row' }, key, h('button', { type: 'button', onclick: () => this.load(key.value) }, t('load')),
        state !== 'none' ? h('button', { type: 'button', 'data-testid': 'clear-key', onclick: () => this.clear() }, t('clearKey')) : null),
      state === 'rejected' ? h('p', { class: 'warn', role: 'status', 'data-testid': 'key-status' }, t('keyRejected')) : null,
      state === 'accepted' ? h('p', { class: 'hint', role: 'status', 'data-testid': 'key-status' }, t('keyAccepted')) : null,
      lists,
    );
    if (this.datasets.length || this.runs.length) this.renderLists(lists);
  }

  clear() {
    setApiKey('');
    this.datasets = [];
    this.runs = [];
    this.render();
  }

  async load(key) {
    setApiKey(key);
    try {
      const [datasets, runs] = await Promise.all([getJson('/v1/datasets'), getJson('/v1/runs')]);
      this.datasets = datasets.datasets;
      this.runs = runs.runs;
      // The key's state may have re-rendered the box meanwhile: render it whole.
      this.render();
    } catch (err) {
      this.onError(err.text ?? err.message);
    }
  }

  renderLists(lists) {
    const select = (kind, optional) =>
      h('select', { 'data-kind': kind, 'aria-label': t(kind) },
        optional ? h('option', { value: '' }, t('serverDefault')) : null,
        this.datasets.filter((d) => d.kind === kind).map((d) => h('option', { value: d.id }, `${d.name} (${d.id})`)));
    const network = select('network', true);
    const facilities = select('facilities', true);
    const communities = select('communities', false);
    lists.replaceChildren(
      h('h3', {}, t('datasets')),
      h('label', {}, t('network'), network),
      h('label', {}, t('facilities'), facilities),
      h('label', {}, t('communities'), communities),
      h('button', {
        type: 'button',
        disabled: communities.options.length === 0,
        onclick: () => this.onAnalyse({ network: network.value || undefined, facilities: facilities.value || undefined, communities: communities.value }),
      }, t('analyseStored')),
      h('h3', {}, t('runs')),
      this.runs.length === 0 ? h('p', {}, t('none')) : h('ul', { class: 'runs' }, this.runs.map((run) =>
        h('li', {}, `${run.createdAt.slice(0, 16).replace('T', ' ')} ${run.id} `, h('button', { type: 'button', onclick: () => this.onOpenRun(run) }, t('open'))))),
    );
  }
}
