import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWmicCpu, parseWmicList, splitWmicCsv } from '../../../src/platform/parse/wmic.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/win32/${name}`, import.meta.url), 'utf8');
const NOW = Date.UTC(2021, 4, 2, 12, 0, 0);

describe('parseWmicList on wmic /format:csv (assembled from real captures)', () => {
  const text = fixture('wmic-process-get.csv');
  const { records, bad } = parseWmicList(text, NOW);

  it('skips the empty first line, \\r\\r\\n endings and the idle process (no CreationDate)', () => {
    expect(bad).toEqual([]);
    expect([...records.keys()].sort((a, b) => a - b)).toEqual([4, 777, 9300, 20760, 20804]);
  });

  it('reads the columns by the header, not by the order they were asked in', () => {
    expect(records.get(777)).toMatchObject({
      ppid: 0,
      name: 'node.exe',
      startId: '20150329221650.080654+060',
      cpuTimeMs: (153750000 + 8556250000) / 10_000,
      rssBytes: 110821376,
      fdCount: 190,
      threads: 11,
      argv: null,
      exe: null,
    });
    expect(records.get(777)!.startTime).toBeCloseTo(Date.UTC(2015, 2, 29, 21, 16, 50) + 80.654, 6);
  });

  it('keeps commas inside a command line, which wmic does not quote', () => {
    const gpu = records.get(20760)!;
    expect(gpu.argv).toContain('--field-trial-handle=1552,9011923592517094884,8285865786163236157,131072');
    expect(gpu.argv).toContain('--disable-features=CookiesWithoutSameSiteMustBeSecure,SameSiteByDefaultCookies,SpareRendererForSitePerProcess');
    expect(gpu.argv!.at(-1)).toBe('/prefetch:2');
    expect(gpu).toMatchObject({ ppid: 20804, name: 'Chia.exe', fdCount: 402, exe: 'C:\\Users\\boszek\\AppData\\Local\\chia-blockchain\\app-1.1.2\\Chia.exe' });
  });

  it('treats a leading quote as part of the command line, and a trailing space as nothing', () => {
    expect(records.get(20804)!.argv).toEqual(['C:\\Users\\boszek\\AppData\\Local\\chia-blockchain\\app-1.1.2\\Chia.exe']);
    expect(records.get(9300)!.argv).toContain('-dJ:\\Chia Plots');
  });

  it('reads negative UTC offsets (minutes west of Greenwich)', () => {
    expect(records.get(9300)!.startTime).toBeCloseTo(Date.UTC(2021, 4, 2, 1, 33, 41) + 512.311, 6);
  });
});

describe('splitWmicCsv', () => {
  const HEADER = 'Node,CommandLine,CreationDate,ExecutablePath,HandleCount,Name,ProcessId';

  it('gives spare fields to CommandLine first, then to a path that holds a comma', () => {
    const csv = `\r\n${HEADER}\r\nPC,a.exe --x=1,2,20210501203341.512311-300,C:\\a\\b,c\\a.exe,7,a.exe,42\r\n`;
    const { rows } = splitWmicCsv(csv);
    expect(rows[0]).toMatchObject({ CommandLine: 'a.exe --x=1,2', ExecutablePath: 'C:\\a\\b,c\\a.exe', ProcessId: '42' });
  });

  it('returns a row no split explains in bad, with its pid when it can be read', () => {
    const { rows, bad } = splitWmicCsv(`${HEADER}\r\nPC,a.exe,not-a-date,C:\\a.exe,7,a.exe,42\r\n`);
    expect(rows).toEqual([]);
    expect(bad).toEqual([{ line: 'PC,a.exe,not-a-date,C:\\a.exe,7,a.exe,42', pid: 42 }]);
  });

  it('returns nothing for output without a CSV header (wmic printed an error)', () => {
    expect(splitWmicCsv('Invalid XSL format (or) file name.\r\n').rows).toEqual([]);
  });
});

describe('parseWmicCpu', () => {
  it('reads the readCpu query, and nothing from "No Instance(s) Available."', () => {
    const csv = '\r\r\nNode,CreationDate,KernelModeTime,ProcessId,UserModeTime\r\r\nPC,20150329221650.080654+060,153750000,777,8556250000\r\r\n';
    expect(parseWmicCpu(csv).get(777)).toEqual({ cpuTimeMs: 871000, startId: '20150329221650.080654+060' });
    expect(parseWmicCpu('').size).toBe(0);
  });
});
