// Light/dark theme: 'system' follows prefers-color-scheme live; the toggle overrides it and is
// remembered (localStorage, when the page may use it — a sandboxed iframe may not). The resolved
// theme is written to <html data-theme>, which app.css keys every colour on.
import type { Theme, ThemePreference } from './themePreference.ts';
export type { Theme, ThemePreference };

const STORAGE_KEY = 'virtfs-lab:theme';

function readStored(): ThemePreference | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' || v === 'system' ? v : null;
  } catch {
    return null; // storage blocked (sandboxed iframe, privacy mode)
  }
}

export class ThemeState {
  preference = $state<ThemePreference>('system');
  #systemDark = $state(false);
  #remember: boolean;

  constructor(opts: { initial?: ThemePreference | null; remember: boolean }) {
    this.#remember = opts.remember;
    this.preference = opts.initial ?? (opts.remember ? readStored() : null) ?? 'system';
    const mq = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (mq) {
      this.#systemDark = mq.matches;
      mq.addEventListener('change', (e) => { this.#systemDark = e.matches; });
    }
  }

  get resolved(): Theme {
    return this.preference === 'system' ? (this.#systemDark ? 'dark' : 'light') : this.preference;
  }

  /** light → dark → system → light … (the toggle's cycle; its label names the next state). */
  cycle(): void {
    this.set(this.preference === 'light' ? 'dark' : this.preference === 'dark' ? 'system' : 'light');
  }

  set(p: ThemePreference): void {
    this.preference = p;
    if (!this.#remember) return;
    try { globalThis.localStorage?.setItem(STORAGE_KEY, p); } catch { /* storage blocked: keep it for this page only */ }
  }

  /** Apply to the document; call from an $effect so it follows changes. */
  apply(root: HTMLElement): void {
    root.dataset.theme = this.resolved;
  }
}
