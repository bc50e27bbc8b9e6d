// The operator's Bearer token, kept for this browser tab's session only: sessionStorage is cleared
// when the tab closes, so a shared warehouse tablet does not keep credentials across shifts.
const KEY = 'edgetrace.token';

export class TokenStore {
  get(): string | null {
    return sessionStorage.getItem(KEY);
  }

  set(token: string): void {
    sessionStorage.setItem(KEY, token);
  }
}
