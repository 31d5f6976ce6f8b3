// The deployment files (no image can be built here): the Dockerfile is multi-stage, installs production
// dependencies only and runs as an unprivileged user; compose.yaml runs two identical instances on one Postgres behind
// a load balancer that names both, with readiness health checks; every variable an instance reads exists in the config.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectPath } from '../../src/paths.js';

const read = (...p: string[]) => readFileSync(projectPath(...p), 'utf8');

describe('deployment files', () => {
  it('builds in two stages and runs qm serve as an unprivileged user', () => {
    const lines = read('Dockerfile').split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    const froms = lines.filter((l) => l.startsWith('FROM '));
    expect(froms).toHaveLength(2);
    expect(froms.every((f) => /node:20/.test(f))).toBe(true);
    const runtime = lines.slice(lines.indexOf(froms[1]!));
    expect(runtime.some((l) => /npm ci --omit=dev/.test(l))).toBe(true);
    expect(runtime.some((l) => /^USER (?!root)\w+/.test(l))).toBe(true);
    expect(runtime.some((l) => l.startsWith('COPY --from=build /app/dist'))).toBe(true);
    expect(runtime.at(-1)).toMatch(/^CMD \["node", "bin\/qm\.js", "serve"\]/);
    for (const shipped of ['migrations', 'policies', 'bin']) expect(runtime.some((l) => l.startsWith(`COPY ${shipped} `))).toBe(true);
  });

  it('runs two identical instances on one Postgres behind a round-robin balancer', () => {
    const compose = parse(read('compose.yaml'), { merge: true }) as { services: Record<string, { environment?: Record<string, string>; healthcheck?: { test: string[] }; image?: string }> };
    const { app1, app2, postgres, lb } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(app1?.environment).toEqual(app2?.environment);
    expect(app1?.environment?.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(app1?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(lb?.image).toMatch(/^nginx:/);
    const nginx = read('deploy', 'nginx.conf');
    expect(nginx).toMatch(/server app1:3000/);
    expect(nginx).toMatch(/server app2:3000/);

    // Every variable given to an instance is one the config reads.
    const config = read('src', 'config.ts');
    for (const name of Object.keys(app1?.environment ?? {})) expect(config, name).toContain(`${name}:`);
  });
});
