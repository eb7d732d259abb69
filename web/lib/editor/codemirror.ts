// The domain-XML editor: CodeMirror 6 in XML mode. This module is loaded with a dynamic import() by
// XmlEditor.svelte so that CodeMirror (~100 KB gzip) stays out of the initial JS (DESIGN.md §5,
// stack.md §8). Everything the page needs from the editor goes through the small `XmlEditorHandle`.
import { basicSetup } from 'codemirror';
import { EditorView, Decoration, keymap, type DecorationSet } from '@codemirror/view';
import { indentLess, indentMore, isolateHistory } from '@codemirror/commands';
import { Compartment, EditorState, StateEffect, StateField, type Extension, type Range } from '@codemirror/state';
import { xml } from '@codemirror/lang-xml';
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';

export interface EditorDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  from: number;
  to: number;
}

export interface XmlRange { from: number; to: number }

export interface XmlEditorOptions {
  doc: string;
  label: string;
  readOnly: boolean;
  /** Called after every user edit with the whole text (undo/redo included). */
  onChange(text: string): void;
  /** Caret moved (keyboard or click) while the editor has focus: the offset, for cross-highlighting. */
  onCaret(pos: number): void;
  /** Pointer over a text offset, or null when it leaves the text. */
  onHover(pos: number | null): void;
}

export interface XmlEditorHandle {
  setDiagnostics(diagnostics: readonly EditorDiagnostic[]): void;
  /** Mark XML ranges produced by the argv word the user points at; scrolls the first into view. */
  setCrossHighlight(ranges: readonly XmlRange[], reveal: boolean): void;
  /** Replace the whole text (a preset or share link loaded); kept in undo history. */
  replaceDoc(text: string): void;
  setReadOnly(readOnly: boolean): void;
  /** Put the caret at an offset, scroll to it and focus the editor (a diagnostic was activated). */
  moveCaret(pos: number): void;
  getDoc(): string;
  focus(): void;
  destroy(): void;
}

const setXref = StateEffect.define<readonly XmlRange[]>();
const xrefMark = Decoration.mark({ class: 'cm-xref' });

/** The cross-highlight marks; mapped through edits so they never point at stale offsets. */
const xrefField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setXref)) continue;
      const len = tr.state.doc.length;
      const ranges: Range<Decoration>[] = [];
      for (const r of e.value) {
        const from = clamp(r.from, 0, len);
        const to = clamp(r.to, from, len);
        if (to > from) ranges.push(xrefMark.range(from, to));
      }
      marks = Decoration.set(ranges, true);
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(Math.max(n, lo), hi);
}

/** Colours come from CSS custom properties so the light and dark themes need no second editor theme. */
const syntax = HighlightStyle.define([
  { tag: tags.tagName, color: 'var(--syn-tag)' },
  { tag: tags.attributeName, color: 'var(--syn-attr)' },
  { tag: tags.attributeValue, color: 'var(--syn-value)' },
  { tag: [tags.comment, tags.processingInstruction, tags.documentMeta], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [tags.angleBracket, tags.definitionOperator], color: 'var(--syn-punct)' },
  { tag: tags.invalid, color: 'var(--syn-invalid)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', color: 'var(--fg)', backgroundColor: 'var(--bg-editor)', fontSize: '13px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-panel)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--bg-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-active-line)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--bg-selection) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)' },
  '.cm-xref': { backgroundColor: 'var(--xref-bg)', outline: '1px solid var(--xref-border)', borderRadius: '2px' },
  '.cm-tooltip': { backgroundColor: 'var(--bg-panel)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-panels': { backgroundColor: 'var(--bg-panel)', color: 'var(--fg)' },
});

export function createXmlEditor(parent: HTMLElement, opts: XmlEditorOptions): XmlEditorHandle {
  const readOnly = new Compartment();
  // Tab indents only once the user has typed in the editor; before that it moves focus like anywhere
  // else, so tabbing through the page never gets stuck here (the Svelte REPL's rule, style.md §4.2).
  // Escape then Tab always leaves (CodeMirror's tab-focus mode); Ctrl+M toggles it.
  let typed = false;
  const tabKeys = keymap.of([{ key: 'Tab', run: (v) => typed && indentMore(v), shift: (v) => typed && indentLess(v) }]);
  const extensions: Extension[] = [
    tabKeys,
    basicSetup,
    xml(),
    lintGutter(),
    syntaxHighlighting(syntax),
    theme,
    xrefField,
    readOnly.of(readOnlyExtension(opts.readOnly)),
    EditorView.contentAttributes.of({ 'aria-label': opts.label }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) {
        if (u.transactions.some((t) => t.isUserEvent('input') || t.isUserEvent('delete') || t.isUserEvent('undo'))) typed = true;
        opts.onChange(u.state.doc.toString());
      }
      if ((u.selectionSet || u.docChanged) && u.view.hasFocus) opts.onCaret(u.state.selection.main.head);
    }),
    EditorView.domEventHandlers({
      mousemove(ev, view) {
        opts.onHover(view.posAtCoords({ x: ev.clientX, y: ev.clientY }, false));
      },
      mouseleave() {
        opts.onHover(null);
      },
    }),
  ];
  const view = new EditorView({ state: EditorState.create({ doc: opts.doc, extensions }), parent });

  return {
    setDiagnostics(diagnostics) {
      const len = view.state.doc.length;
      const cm: CmDiagnostic[] = diagnostics.map((d) => {
        const from = clamp(d.from, 0, len);
        return { from, to: clamp(d.to, from, len), severity: d.severity, message: d.message, source: 'virtfs-lab' };
      });
      view.dispatch(setDiagnostics(view.state, cm));
    },
    setCrossHighlight(ranges, reveal) {
      const effects: StateEffect<unknown>[] = [setXref.of(ranges)];
      const first = ranges[0];
      if (reveal && first && first.from <= view.state.doc.length) {
        effects.push(EditorView.scrollIntoView(first.from, { y: 'nearest' }));
      }
      view.dispatch({ effects });
    },
    replaceDoc(text) {
      if (text === view.state.doc.toString()) return;
      // Its own undo step (never merged with the user's typing just before), so Ctrl+Z restores
      // exactly the text the preset or link replaced.
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, annotations: isolateHistory.of('full') });
    },
    setReadOnly(ro) {
      view.dispatch({ effects: readOnly.reconfigure(readOnlyExtension(ro)) });
    },
    moveCaret(pos) {
      const at = clamp(pos, 0, view.state.doc.length);
      view.dispatch({ selection: { anchor: at }, effects: EditorView.scrollIntoView(at, { y: 'center' }) });
      view.focus();
    },
    getDoc: () => view.state.doc.toString(),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

function readOnlyExtension(ro: boolean): Extension {
  return [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
}
