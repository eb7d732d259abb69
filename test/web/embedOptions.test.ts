import { describe, expect, it } from 'vitest';
import { embedSnippet, parseEmbedOptions, playgroundUrl } from '../../web/lib/embed/embedOptions.ts';

describe('embed options', () => {
  it('defaults to the full playground', () => {
    expect(parseEmbedOptions('')).toEqual({ options: { embed: false, view: 'both', readOnly: false, theme: null, autoplay: false }, warnings: [] });
  });
  it('reads bare flags and values', () => {
    expect(parseEmbedOptions('?embed&view=plan&readonly&theme=dark&autoplay').options).toEqual({ embed: true, view: 'plan', readOnly: true, theme: 'dark', autoplay: true });
    expect(parseEmbedOptions('?embed=1&readonly=0').options).toMatchObject({ embed: true, readOnly: false });
    expect(parseEmbedOptions('?embed=false').options.embed).toBe(false);
  });
  it('falls back to defaults on bad values, with a warning naming the parameter', () => {
    const r = parseEmbedOptions('?embed&view=<script>&theme=neon');
    expect(r.options).toMatchObject({ embed: true, view: 'both', theme: null });
    expect(r.warnings).toEqual([
      '?view=<script> is not one of both, xml, plan; using the default',
      '?theme=neon is not one of light, dark, system; using the default',
    ]);
  });
  it('builds the "open in playground" link and an escaped iframe snippet', () => {
    const here = new URL('http://127.0.0.1:4176/?embed&view=plan#s=2.old');
    expect(playgroundUrl(here, 's=2.new')).toBe('http://127.0.0.1:4176/#s=2.new');
    const snippet = embedSnippet(here, 's=2.abc', { view: 'plan', readOnly: true, theme: 'dark' });
    expect(snippet).toContain('src="http://127.0.0.1:4176/?embed&amp;view=plan&amp;readonly&amp;theme=dark#s=2.abc"');
    expect(embedSnippet(here, 's=2.abc', { view: 'both', readOnly: false, theme: null })).toContain('src="http://127.0.0.1:4176/?embed#s=2.abc"');
    expect(embedSnippet(here, 's=2.abc', { view: 'plan', readOnly: false, theme: null, autoplay: true })).toContain('src="http://127.0.0.1:4176/?embed&amp;view=plan&amp;autoplay#s=2.abc"');
  });
});
