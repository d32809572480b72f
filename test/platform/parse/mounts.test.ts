import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProcMount } from '../../../src/platform/parse/mounts.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/linux/${name}`, import.meta.url), 'utf8');

describe('the proc mount in /proc/mounts', () => {
  it('takes the last of the proc mounts stacked on the path, with hidepid and gid', () => {
    expect(parseProcMount(fixture('mounts-hidepid.txt'), '/proc')).toEqual({ hidepid: 'invisible', gid: 27 });
  });

  it('reads hidepid in the old numeric form and the new named one, and none as off', () => {
    expect(parseProcMount('proc /proc proc rw,nosuid,nodev,noexec,relatime,hidepid=2 0 0\n', '/proc')).toEqual({ hidepid: 'invisible', gid: null });
    expect(parseProcMount('proc /proc proc rw,hidepid=1 0 0\n', '/proc')).toEqual({ hidepid: 'noaccess', gid: null });
    expect(parseProcMount('proc /proc proc rw,hidepid=ptraceable 0 0\n', '/proc')).toEqual({ hidepid: 'ptraceable', gid: null });
    expect(parseProcMount('proc /proc proc rw,relatime 0 0\n', '/proc')).toEqual({ hidepid: 'off', gid: null });
  });

  it('matches the mount point exactly, octal escapes included, and says null where proc is not mounted', () => {
    expect(parseProcMount('proc /srv/my\\040proc proc rw,hidepid=2 0 0\n', '/srv/my proc')).toEqual({ hidepid: 'invisible', gid: null });
    expect(parseProcMount('proc /proc/sys proc rw,hidepid=2 0 0\n', '/proc')).toBeNull();
    expect(parseProcMount('sysfs /proc sysfs rw 0 0\n', '/proc')).toBeNull();
  });
});
