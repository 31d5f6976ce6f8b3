// The layer rules of docs/ARCHITECTURE.md, checked by `npm run lint` (and so by CI). Data flows one way:
// delivery layers (bots/*, src/http, src/cli) call the core; the core never imports a delivery layer; src/domain
// is the bottom and imports nothing of ours; each vendor SDK lives in one folder. The tree has no known
// violations; a new rule that existing code breaks can start from a baseline (see docs/ARCHITECTURE.md, Layers).
//
// Not checkable here: "only src/config.ts reads process.env" (a property access, not an import).

/** The core: everything but the delivery layers and the composition root that wires them (src/runtime.ts). */
const CORE = [
  '^src/(approvals|actions|governance|monitors|audit|db|domain|imports|orchestrator|chat|jobs|screening|contracts|access|llm|demo)/',
  '^src/(config|errors|log|paths|version)\\.ts$',
  '^agents/',
  '^mcp-servers/',
];
const DELIVERY = '^(src/cli|src/http|src/web|bots)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only imports included: a cycle means two modules are one concept, or a type lives too high.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-delivery',
      severity: 'error',
      comment: 'The core (orchestrator, agents, MCP servers, governance, approvals, actions, monitors, db, …) never imports a delivery layer (src/cli, src/http, src/web, bots).',
      from: { path: CORE },
      to: { path: DELIVERY },
    },
    {
      name: 'domain-at-the-bottom',
      severity: 'error',
      comment: 'src/domain holds the shared types and pure functions (ProposedAction, Money, UserRef): it imports only itself, node built-ins and npm packages.',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/', '^node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'one-composition-root',
      severity: 'error',
      comment: 'Only the composition root (src/runtime.ts) builds the job queue, the approvals service and the orchestrator; everything else is handed them (type imports are fine).',
      from: { pathNot: '^src/runtime\\.ts$' },
      to: { path: '^src/(approvals/service|orchestrator/orchestrator|jobs/queue)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'bots-not-db',
      severity: 'error',
      comment: 'Bots translate between a chat platform and the core; the core (src/chat) reads and writes the database for them.',
      from: { path: '^bots/' },
      to: { path: '^src/db/' },
    },
    {
      name: 'slack-sdk-in-bots-slack',
      severity: 'error',
      comment: 'Only bots/slack speaks to Slack (@slack/*).',
      from: { pathNot: '^bots/slack/' },
      to: { path: '^node_modules/@slack/' },
    },
    {
      name: 'botbuilder-in-bots-teams',
      severity: 'error',
      comment: 'Only bots/teams imports botbuilder (botbuilder, botbuilder-core, botframework-*).',
      from: { pathNot: '^bots/teams/' },
      to: { path: '^node_modules/(botbuilder|botframework-)' },
    },
    {
      name: 'openai-in-src-llm',
      severity: 'error',
      comment: 'Only src/llm imports the openai SDK: every model call goes through the one provider interface.',
      from: { pathNot: '^src/llm/' },
      to: { path: '^node_modules/openai/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // Type-only imports count: a cycle through types is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    skipAnalysisNotInRules: true,
  },
};
