// The layer rule (issue 12): every import points down this list, and there is no circle.
// Checked by `npm run lint` (depcruise). The same order, with why, is in README "How it works".
//
//   src/main.ts, src/cli/        entry points: the command line
//   src/app/                     composition roots (App, ClipPipeline), built from build functions
//   commands/                    one file per command; imports src/core ONLY
//   src/chat/                    router, gates, Twitch and Discord adapters
//   src/autoclip/                automatic clips: chat-burst detectors (fed by the chat adapters)
//   src/replies/                 the outbox: lanes, dispatcher, reply targets, delivery errors
//   src/clips/                   the clip job: queue, worker, processor, live checks, VOD, reasons
//   src/store/                   Redis state behind the src/core/stores.ts interfaces
//   src/core/                    the shared words: commands' contract, clip request/result, ...
//   src/twitch/                  Helix client, tokens, typed errors
//   src/redis/                   connections, script loading, embedded redis-server
//   src/ops/, src/config.ts, src/logger.ts   leaves: metrics, health, config, logging
//
// standins/ (Twitch and Discord stand-ins) is never imported by product code; the one
// exception is the demo command's dynamic import (src/cli/demo.ts).
const LAYERS = [
  ['entry', '^src/(main\\.ts|cli/)'],
  ['app', '^src/app/'],
  ['commands', '^commands/'],
  ['chat', '^src/chat/'],
  ['autoclip', '^src/autoclip/'],
  ['replies', '^src/replies/'],
  ['clips', '^src/clips/'],
  ['store', '^src/store/'],
  ['core', '^src/core/'],
  ['twitch', '^src/twitch/'],
  // Below twitch: the token store's lock release is one of its scripts.
  ['redis', '^src/redis/'],
  ['leaves', '^src/(ops/|config\\.ts$|logger\\.ts$)'],
];

const upward = LAYERS.slice(1).map(([name, path], i) => ({
  name: `no-upward-from-${name}`,
  comment: `${name} may import only what is below it in the layer list`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(0, i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...upward,
    {
      name: 'commands-import-core-only',
      comment: 'commands/ names what it uses through src/core',
      severity: 'error',
      from: { path: '^commands/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'no-standins-in-product',
      comment: 'the stand-ins are loaded only by the demo, dynamically',
      severity: 'error',
      from: { path: '^(src|commands)/' },
      to: { path: '^standins/', dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'standins-stand-alone',
      comment:
        'a stand-in plays Twitch or Discord: it runs none of the bot’s code (it may name the Helix record types)',
      severity: 'error',
      from: { path: '^standins/' },
      to: { path: '^(src|commands)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '(^|/)node_modules/' },
  },
};
