import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withFlagTable } from '../src/render/flag-table.js';

describe('the README', () => {
  it("has the rule registry's flag table (run `npm run readme` after changing a rule)", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(withFlagTable(readme)).toBe(readme);
  });

  it('starts with the two commands a new user needs: a real scan, and the tests', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks[0]).toMatch(/npm ci && node bin\/claude-reaper\.js scan$/);
    expect(blocks[1]).toMatch(/npm ci && npm test$/);
  });
});
