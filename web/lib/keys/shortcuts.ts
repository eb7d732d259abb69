// Keyboard shortcuts. Single keys (GitHub-style) act only when the focus is not in a text field, the
// XML editor or a select, so they never steal a typed character; inside the editor, Escape then Tab
// leaves it (CodeMirror's tab-focus mode), so there is no keyboard trap.
export interface Shortcut {
  key: string;
  /** What the overlay shows, e.g. "?" or "e". */
  label: string;
  description: string;
  action: ShortcutAction;
}

export type ShortcutAction = 'help' | 'focus-editor' | 'focus-plan' | 'toggle-layout' | 'toggle-theme' | 'share' | 'clear-highlight';

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '?', label: '?', description: 'show or hide this list', action: 'help' },
  { key: 'e', label: 'e', description: 'focus the domain XML editor', action: 'focus-editor' },
  { key: 'p', label: 'p', description: 'focus the QEMU command line (then ←/→ between words)', action: 'focus-plan' },
  { key: 'l', label: 'l', description: 'panes side by side ↔ stacked', action: 'toggle-layout' },
  { key: 't', label: 't', description: 'theme: light → dark → system', action: 'toggle-theme' },
  { key: 's', label: 's', description: 'copy a share link to this state', action: 'share' },
  { key: 'Escape', label: 'Esc', description: 'clear the cross-highlight; close dialogs', action: 'clear-highlight' },
];

/** Is the event's target a place where typing must not trigger shortcuts? */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}

/** The action for a keydown, or null. Modifier combinations are left to the browser and the editor. */
export function shortcutFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key !== 'Escape' && isTypingTarget(e.target)) return null;
  return SHORTCUTS.find((s) => s.key === e.key)?.action ?? null;
}
