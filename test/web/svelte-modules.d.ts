// Component tests import .svelte files; cli/tsconfig.json (which type-checks test/) has no Svelte
// language service, so it sees them as components of unknown props. svelte-check types them fully.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<any>;
  export default component;
}
