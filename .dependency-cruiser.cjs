// The one dependency rule of DESIGN.md ("imports point down only"), checked on src/ by `npm run lint:deps`.
//
//   cmd → cli → client → api;  server → daemon → {builder, distribution} → core/plugins → host/oci/errdefs
//
// Type-only imports count like any other (tsPreCompilationDeps). Test files (*.test.ts) may cross layers,
// but never close a cycle.

/** Layering rules apply to production code only. */
const notTest = '\\.test\\.ts$';

/** A node built-in, with or without the `node:` prefix: `builtin('fs', 'fs/promises')`. */
const builtin = (...names) => `^(node:)?(${names.join('|')})$`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere in src/, tests included (DESIGN.md: "with no cycles").',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-client-not-daemon-side',
      severity: 'error',
      comment: 'The CLI is a thin Engine API client: cli/ and client/ never reach into the daemon side.',
      from: { path: '^src/(cli|client)/', pathNot: notTest },
      to: { path: '^src/(daemon|server|plugins|host|builder|distribution|registry)/' },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ is interfaces + pure logic: no plugins, host, daemon, server, cli or client.',
      from: { path: '^src/core/', pathNot: notTest },
      to: { path: '^src/(plugins|host|daemon|server|cli|client)/' },
    },
    {
      name: 'core-no-io-builtins',
      severity: 'error',
      comment: 'core/ never touches fs, child_process or net (that is host/ and plugins/).',
      from: { path: '^src/core/', pathNot: notTest },
      to: { dependencyTypes: ['core'], path: builtin('fs', 'fs/promises', 'child_process', 'net') },
    },
    {
      name: 'plugins-no-siblings',
      severity: 'error',
      comment: 'plugins/<x> never imports plugins/<y>; share through core/ interfaces instead.',
      from: { path: '^src/plugins/([^/]+)/', pathNot: notTest },
      to: { path: '^src/plugins/', pathNot: '^src/plugins/$1/' },
    },
    {
      name: 'leaf-modules',
      severity: 'error',
      comment: 'api/, oci/ and errdefs/ import only each other and node built-ins.',
      from: { path: '^src/(api|oci|errdefs)/', pathNot: notTest },
      to: { pathNot: '^src/(api|oci|errdefs)/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'daemon-not-frontends',
      severity: 'error',
      comment: 'daemon/ never imports server/ (HTTP lives above it), cli/ or client/.',
      from: { path: '^src/daemon/', pathNot: notTest },
      to: { path: '^src/(server|cli|client)/' },
    },
    {
      name: 'builder-below-daemon',
      severity: 'error',
      comment: 'builder/ sits under daemon/: it reaches containers and images only through its own BuildBackend interface.',
      from: { path: '^src/builder/', pathNot: notTest },
      to: { path: '^src/(daemon|server|cli|client|registry|distribution)/' },
    },
    {
      name: 'nothing-imports-cmd',
      severity: 'error',
      comment: 'cmd/ holds the entry points and the composition root; nothing below imports it.',
      from: { path: '^src/', pathNot: ['^src/cmd/', notTest] },
      to: { path: '^src/cmd/' },
    },
    {
      name: 'only-host-spawns',
      severity: 'error',
      comment:
        'host/ is the only daemon-side code that spawns processes (node:child_process); ' +
        'the CLI may too, only to start berthd when no daemon answers (cli/connect.ts).',
      from: { path: '^src/', pathNot: ['^src/host/', '^src/cli/connect\\.ts$', notTest] },
      to: { dependencyTypes: ['core'], path: builtin('child_process') },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve to a file or package (also catches a wrong .js suffix).',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|build|node_modules)/' },
    // Read the TypeScript sources, with type-only imports, and resolve NodeNext ".js" specifiers to ".ts".
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
