// Asks the operator for an access token when the service answers 401. Concurrent requests that
// all hit 401 share one open dialog and all continue with the token typed into it.
import { element } from './dom.js';

export class TokenDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly input: HTMLInputElement;
  private readonly reason: HTMLElement;
  private pending: Promise<string> | null = null;

  constructor(host: HTMLElement) {
    this.input = element('input', {
      type: 'password',
      name: 'token',
      autocomplete: 'off',
      required: 'true',
      placeholder: 'et_… or a JWT',
      'aria-label': 'Access token',
    });
    this.reason = element('p', { class: 'dialog-reason', role: 'alert' });
    const form = element(
      'form',
      { method: 'dialog' },
      element('h2', {}, 'Access token'),
      element('p', {}, 'Reading needs a token with the query scope. It is kept for this browser tab only.'),
      this.reason,
      this.input,
      element('button', { type: 'submit', class: 'primary' }, 'Continue'),
    );
    this.dialog = element('dialog', { class: 'token-dialog', 'aria-labelledby': 'token-title' }, form);
    form.querySelector('h2')?.setAttribute('id', 'token-title');
    // Escape would leave every waiting request hanging; the dialog closes only with a token.
    this.dialog.addEventListener('cancel', (event) => event.preventDefault());
    host.append(this.dialog);
  }

  /** Resolves with the token the operator enters; `reason` is the service's 401 detail. */
  ask(reason: string): Promise<string> {
    this.reason.textContent = reason;
    if (this.pending !== null) return this.pending;
    this.pending = new Promise<string>((resolve) => {
      const onClose = () => {
        const token = this.input.value.trim();
        if (token === '') {
          this.dialog.showModal();
          return;
        }
        this.dialog.removeEventListener('close', onClose);
        this.input.value = '';
        this.pending = null;
        resolve(token);
      };
      this.dialog.addEventListener('close', onClose);
    });
    this.dialog.showModal();
    this.input.focus();
    return this.pending;
  }
}
