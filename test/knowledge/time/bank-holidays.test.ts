import { describe, expect, test } from 'vitest';
import {
  BANK_HOLIDAYS,
  bankHolidayName,
  bankHolidaysInYear,
  FIRST_SUPPORTED_YEAR,
  isSupportedDate,
  LAST_SUPPORTED_YEAR,
  OUT_OF_RANGE_MESSAGE,
} from '../../../knowledge/time/bank-holidays.js';

// The official England and Wales lists (gov.uk), as recorded in TOOLCHAIN.md.
const OFFICIAL: Record<number, string[]> = {
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
  2028: ['01-03', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
};

describe('the bank holiday table', () => {
  for (const [year, days] of Object.entries(OFFICIAL)) {
    test(`matches the official England and Wales dates for ${year}`, () => {
      expect(bankHolidaysInYear(Number(year)).map((h) => h.date)).toEqual(days.map((d) => `${year}-${d}`));
    });
  }

  test('includes the one-off holidays of 2022 and 2023', () => {
    expect(bankHolidayName('2022-06-03')).toBe('Queen’s Platinum Jubilee');
    expect(bankHolidayName('2022-09-19')).toBe("Queen Elizabeth's Funeral Day");
    expect(bankHolidayName('2023-05-08')).toBeDefined();
  });

  test('names substitute days with date-holidays names and leaves out the weekend originals', () => {
    expect(bankHolidayName('2026-12-28')).toBe('Boxing Day (substitute day)');
    expect(bankHolidayName('2026-12-26')).toBeUndefined();
    expect(bankHolidayName('2027-12-27')).toBe('Christmas Day (substitute day)');
    expect(bankHolidayName('2027-12-25')).toBeUndefined();
  });

  test('covers every year from 2020 to 2035 with 8 or more weekday holidays and nothing outside', () => {
    expect(FIRST_SUPPORTED_YEAR).toBe(2020);
    expect(LAST_SUPPORTED_YEAR).toBe(2035);
    for (let y = FIRST_SUPPORTED_YEAR; y <= LAST_SUPPORTED_YEAR; y++) {
      expect(bankHolidaysInYear(y).length).toBeGreaterThanOrEqual(8);
    }
    expect(bankHolidaysInYear(2019)).toEqual([]);
    expect(bankHolidaysInYear(2036)).toEqual([]);
    expect(isSupportedDate('2035-12-31')).toBe(true);
    expect(isSupportedDate('2036-01-01')).toBe(false);
    expect(OUT_OF_RANGE_MESSAGE).toBe('I can only count working days for 2020 to 2035.');
  });

  test('cannot be changed at run time', () => {
    expect(Object.isFrozen(BANK_HOLIDAYS)).toBe(true);
    expect(() => (BANK_HOLIDAYS as { date: string; name: string }[]).push({ date: '2026-02-18', name: 'x' })).toThrow();
  });
});
