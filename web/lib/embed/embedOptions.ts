// Embed mode: `?embed` turns the playground into a compact widget for documentation pages (the Svelte
// playground's /embed, Compiler Explorer's /e and /embed-ro, StackBlitz's `view`/`theme` options;
// ui-anchors.md §1). The options are query parameters, so the state can stay in the fragment:
//
//   ?embed&view=plan&readonly&theme=dark#s=2.…
//
//   embed             embed mode (a compact header, an "open in playground" link, no share button)
//   view=both|xml|plan which panes to show (default both)
//   readonly          the XML cannot be edited and the pickers are locked
//   theme=light|dark|system   (default system)
//   autoplay          when the state names a preset: run its scenario to the end on load
//
// Bad values never break the page: they fall back to the default and produce a warning to show.
import type { ThemePreference } from '../themePreference.ts';

export type EmbedView = 'both' | 'xml' | 'plan';

export interface EmbedOptions {
  embed: boolean;
  view: EmbedView;
  readOnly: boolean;
  theme: ThemePreference | null;
  autoplay: boolean;
}

export interface ParsedEmbedOptions { options: EmbedOptions; warnings: string[] }

const FALSE = new Set(['0', 'false', 'no', 'off']);

function flag(params: URLSearchParams, name: string): boolean {
  if (!params.has(name)) return false;
  return !FALSE.has((params.get(name) ?? '').toLowerCase());
}

function choice<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[], warnings: string[]): T | null {
  const v = params.get(name);
  if (v === null) return null;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  warnings.push(`?${name}=${v.slice(0, 30)} is not one of ${allowed.join(', ')}; using the default`);
  return null;
}

export function parseEmbedOptions(search: string): ParsedEmbedOptions {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const embed = flag(params, 'embed');
  const options: EmbedOptions = {
    embed,
    view: choice(params, 'view', ['both', 'xml', 'plan'] as const, warnings) ?? 'both',
    readOnly: flag(params, 'readonly'),
    theme: choice(params, 'theme', ['light', 'dark', 'system'] as const, warnings),
    autoplay: flag(params, 'autoplay'),
  };
  return { options, warnings };
}

/** The embed's "open in playground" URL: same page, no embed options, the current state fragment. */
export function playgroundUrl(current: URL, fragment: string): string {
  const u = new URL(current.href);
  u.search = '';
  u.hash = fragment;
  return u.href;
}

/** The snippet a documentation author pastes: an iframe with the given options and state. */
export function embedSnippet(current: URL, fragment: string, opts: { view: EmbedView; readOnly: boolean; theme: ThemePreference | null; autoplay?: boolean }): string {
  const u = new URL(current.href);
  const params = new URLSearchParams();
  params.set('embed', '');
  if (opts.view !== 'both') params.set('view', opts.view);
  if (opts.readOnly) params.set('readonly', '');
  if (opts.theme && opts.theme !== 'system') params.set('theme', opts.theme);
  if (opts.autoplay) params.set('autoplay', '');
  u.search = params.toString().replaceAll('=&', '&').replace(/=$/, '');
  u.hash = fragment;
  const src = u.href.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  return `<iframe src="${src}" title="virtfs-lab: QEMU 9p proxy launch plan" width="100%" height="480" style="border:1px solid #ccc;border-radius:4px" loading="lazy"></iframe>`;
}
