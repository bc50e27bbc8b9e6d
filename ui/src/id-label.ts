// Identifiers on screen: the short label, with the full value on hover (title) and for tests (data-id).
import { element } from './dom.js';
import { shortId } from './identifiers.js';

export function idLabel(id: string | null | undefined, className = 'id'): HTMLElement {
  if (id === null || id === undefined) return element('span', { class: 'muted' }, '—');
  return element('span', { class: className, title: id, 'data-id': id }, shortId(id));
}

/** The label as a button that opens the identifier in the console (a touch target, not a tiny link). */
export function idLink(id: string, onSelect: (id: string) => void): HTMLButtonElement {
  const button = element('button', { type: 'button', class: 'link', title: `Show ${id}` }, idLabel(id));
  button.addEventListener('click', () => onSelect(id));
  return button;
}
