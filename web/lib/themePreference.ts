// Theme names shared by the theme state (theme.svelte.ts) and the embed options (plain TS, unit-tested).
export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';
