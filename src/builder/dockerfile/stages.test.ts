import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildArgs } from './build-args.js';
import { parseDockerfile } from './dockerfile.js';
import { checkStageNames, resolveTarget, stageDependencies, stageRef } from './stages.js';

const DF = `ARG BASE=busybox
FROM \${BASE} AS base
FROM busybox AS tools
FROM base AS build
COPY --from=tools /bin/sh /sh
FROM busybox AS test
RUN --mount=from=build,target=/b true
FROM scratch
COPY --from=2 /sh /sh
`;

test('resolveTarget: by name, case-insensitive; last stage by default', () => {
  const { stages } = parseDockerfile(DF);
  assert.equal(resolveTarget(stages), 4);
  assert.equal(resolveTarget(stages, 'BUILD'), 2);
  assert.throws(() => resolveTarget(stages, 'nope'), /: failed to reach build target nope in Dockerfile$/);
});

test('stage references and dependencies', () => {
  const { stages } = parseDockerfile(DF);
  assert.equal(stageRef(stages, 'Tools', 2), 1);
  assert.equal(stageRef(stages, 'tools', 1), undefined); // not built yet: an image name
  assert.equal(stageRef(stages, '0', 2), 0);
  assert.equal(stageRef(stages, 'alpine:3', 2), undefined);
  assert.throws(() => stageRef(stages, '5', 2), /: invalid stage index 5$/);
  const expand = (s: { baseName: string }) => s.baseName.replace('${BASE}', 'busybox');
  assert.deepEqual(stageDependencies(stages, 4, expand), [0, 1, 2, 4]);
  assert.deepEqual(stageDependencies(stages, 3, expand), [0, 1, 2, 3]);
  assert.deepEqual(stageDependencies(stages, 1, expand), [1]);
});

test('checkStageNames refuses a name used twice', () => {
  assert.throws(() => checkStageNames(parseDockerfile('FROM a AS x\nFROM b AS X\n').stages), /: x stage name already used$/);
});

test('BuildArgs: declared args only, meta defaults, unused warning', () => {
  const opts = new Map<string, string | null>([['A', 'cli'], ['B', null], ['UNUSED', '1'], ['https_proxy', 'p']]);
  const global = new BuildArgs(opts);
  global.addArg('M', 'meta');
  global.addMetaArg('M', 'meta');
  const stage = global.forStage();
  assert.deepEqual([...stage.getAllAllowed()], [['https_proxy', 'p']]);
  stage.addArg('A', 'default');
  stage.addArg('B', 'bdef');
  stage.addArg('M', undefined);
  assert.deepEqual(Object.fromEntries(stage.getAllAllowed()), { A: 'cli', B: 'bdef', M: 'meta', https_proxy: 'p' });
  assert.deepEqual(stage.filterAllowed(['A=env']).sort(), ['B=bdef', 'M=meta', 'https_proxy=p']);
  assert.equal(global.unusedWarning(), '[Warning] One or more build-args [A B UNUSED] were not consumed');
  global.mergeReferenced(stage);
  assert.equal(global.unusedWarning(), '[Warning] One or more build-args [UNUSED] were not consumed');
  assert.equal(stage.isReferencedOrNotBuiltin('https_proxy'), false);
  assert.deepEqual(Object.fromEntries(global.getAllMeta()), { M: 'meta', https_proxy: 'p' });
});
