/**
 * Finding a community without the mouse (issue 16): a search box (`input type=search`) matching
 * names and ids as one types — arrow keys move through the matches, Enter opens one — and a list
 * of every community, worst first, each a button. Both call `onOpen(id)`.
 */
import { h, percent } from './dom.js';
import { t } from './i18n.js';

const MAX_MATCHES = 8;

export class CommunityFinder {
  constructor({ input, results, list }, { onOpen }) {
    this.input = input;
    this.results = results;
    this.list = list;
    this.onOpen = onOpen;
    /** [{ id, name, share }] */
    this.entries = [];
    this.active = -1;
    input.addEventListener('input', () => this.renderMatches());
    input.addEventListener('keydown', (e) => this.onKey(e));
    input.addEventListener('search', () => this.renderMatches());
  }

  setEntries(entries) {
    this.entries = entries;
    this.input.placeholder = t('search');
    this.input.setAttribute('aria-label', t('search'));
    const sorted = [...entries].sort((a, b) => (a.share ?? -1) - (b.share ?? -1) || a.name.localeCompare(b.name, 'zh'));
    this.list.replaceChildren(...sorted.map((e) =>
      h('li', {}, h('button', { type: 'button', class: 'link', 'data-id': e.id, onclick: () => this.onOpen(e.id) },
        e.name, h('span', { class: 'minutes' }, ` ${e.share === null ? t('notAssessed') : percent(e.share)}`)))));
    if (this.input.value) this.renderMatches();
  }

  matches() {
    const q = this.input.value.trim().toLowerCase();
    if (!q) return [];
    return this.entries.filter((e) => e.name.toLowerCase().includes(q) || e.id.toLowerCase().includes(q))
      .sort((a, b) => Number(!a.name.toLowerCase().startsWith(q)) - Number(!b.name.toLowerCase().startsWith(q)))
      .slice(0, MAX_MATCHES);
  }

  renderMatches() {
    const found = this.matches();
    this.found = found;
    this.active = found.length ? 0 : -1;
    this.results.hidden = !this.input.value.trim();
    this.results.replaceChildren(
      ...(found.length ? found.map((e, i) => h('li', { role: 'option', id: `match-${i}`, 'aria-selected': String(i === this.active), onmousedown: (ev) => { ev.preventDefault(); this.open(e.id); } }, e.name, h('span', { class: 'minutes' }, ` ${e.id}`)))
        : [h('li', { class: 'hint' }, t('noMatch'))]),
    );
  }

  onKey(e) {
    if (!this.found?.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.found.length - 1)) % this.found.length;
      [...this.results.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      this.open(this.found[Math.max(0, this.active)].id);
    }
  }

  open(id) {
    this.results.hidden = true;
    this.onOpen(id);
  }
}
