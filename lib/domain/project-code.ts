// 项目代码 of the national investment-project online approval platform: 24 characters,
// year(4)-region(6)-department(2)-type(2)-serial(5)+check(1), e.g. 2021-520302-47-01-123456.
// The check character's algorithm is not published, so only the structure is validated.

const PROJECT_CODE = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{5})([0-9X])$/;

export interface ProjectCodeParts {
  year: number;
  regionCode: string;
  department: string;
  type: string;
  serial: string;
  check: string;
}

export function parseProjectCode(input: string): ProjectCodeParts | null {
  const match = PROJECT_CODE.exec(input.trim().toUpperCase());
  if (!match) return null;
  const [, year, regionCode, department, type, serial, check] = match as unknown as string[];
  const yearNumber = Number(year);
  if (yearNumber < 2000 || yearNumber > 2099) return null;
  return { year: yearNumber, regionCode: regionCode!, department: department!, type: type!, serial: serial!, check: check! };
}

export function isValidProjectCode(input: string): boolean {
  return parseProjectCode(input) !== null;
}
