// Reference data the plan and national standards fix: the county-level units of 遵义市
// (GB/T 2260), the funding channels named in chapter 4 §4, Chinese labels for the OC4IDS
// project sectors, and the city's departments and county governments that own projects.

export const PLAN = {
  id: "zunyi-14th-fyp-urbanization",
  title: "遵义市“十四五”新型城镇化发展规划",
  periodStart: 2021,
  periodEnd: 2025,
  /** 城镇化重点项目投资累计达到4500亿元左右 (第四章第四节; 专栏1 指标10), in 万元. */
  keyInvestmentTargetWan: "45000000",
  keyInvestmentTargetText: "到2025年，城镇化重点项目投资累计达到4500亿元左右",
  sourceFile: "prisma/data/plan/source.txt",
} as const;

export const DIVISIONS = [
  { code: "520300", gbCode: "520300", name: "遵义市（市级）", kind: "CITY" },
  { code: "520302", gbCode: "520302", name: "红花岗区", kind: "DISTRICT" },
  { code: "520303", gbCode: "520303", name: "汇川区", kind: "DISTRICT" },
  { code: "520304", gbCode: "520304", name: "播州区", kind: "DISTRICT" },
  { code: "XP", gbCode: null, name: "新蒲新区", kind: "NEW_DISTRICT" },
  { code: "520322", gbCode: "520322", name: "桐梓县", kind: "COUNTY" },
  { code: "520323", gbCode: "520323", name: "绥阳县", kind: "COUNTY" },
  { code: "520324", gbCode: "520324", name: "正安县", kind: "COUNTY" },
  { code: "520325", gbCode: "520325", name: "道真县", kind: "COUNTY" },
  { code: "520326", gbCode: "520326", name: "务川县", kind: "COUNTY" },
  { code: "520327", gbCode: "520327", name: "凤冈县", kind: "COUNTY" },
  { code: "520328", gbCode: "520328", name: "湄潭县", kind: "COUNTY" },
  { code: "520329", gbCode: "520329", name: "余庆县", kind: "COUNTY" },
  { code: "520330", gbCode: "520330", name: "习水县", kind: "COUNTY" },
  { code: "520381", gbCode: "520381", name: "赤水市", kind: "COUNTY_CITY" },
  { code: "520382", gbCode: "520382", name: "仁怀市", kind: "COUNTY_CITY" },
] as const;

/** Codes used in prisma/data/plan/projects.csv → AdminDivision.code. */
export const CSV_DIVISION_CODES: Record<string, string> = { CITY: "520300", XP: "XP" };

export const FUNDING_SOURCES = [
  { code: "LOCAL_FISCAL", nameZh: "地方财政资金", nameEn: "Local government budget" },
  { code: "CENTRAL_BUDGET", nameZh: "中央预算内投资", nameEn: "Central budget investment" },
  { code: "SPECIAL_BOND", nameZh: "地方政府专项债券", nameEn: "Local government special bonds" },
  { code: "ANTI_EPIDEMIC_BOND", nameZh: "抗疫特别国债", nameEn: "Special anti-epidemic treasury bonds" },
  { code: "POLICY_FINANCE", nameZh: "政策性开发性金融", nameEn: "Policy and development finance" },
  { code: "COMMERCIAL_LOAN", nameZh: "商业银行贷款", nameEn: "Commercial bank loans" },
  { code: "INTEGRATION_FUND", nameZh: "国家城乡融合发展基金", nameEn: "National urban-rural integration fund" },
  { code: "ENTERPRISE_BOND", nameZh: "新型城镇化建设专项企业债券", nameEn: "New-urbanization enterprise bonds" },
  { code: "SOCIAL_CAPITAL", nameZh: "社会资本/PPP", nameEn: "Private capital / PPP" },
  { code: "OTHER", nameZh: "其他", nameEn: "Other" },
] as const;

export const SECTOR_LABELS_ZH: Record<string, string> = {
  education: "教育",
  health: "卫生健康",
  energy: "能源",
  "energy.solar": "太阳能",
  "energy.wind": "风能",
  "energy.hydropower": "水电",
  "energy.biomass": "生物质能",
  "energy.geothermal": "地热能",
  communications: "通信",
  waterAndWaste: "水务与环卫",
  governance: "政务治理",
  economy: "经济与产业",
  cultureSportsAndRecreation: "文化体育与休闲",
  transport: "交通",
  "transport.air": "航空",
  "transport.water": "水运",
  "transport.rail": "铁路",
  "transport.road": "公路",
  "transport.urban": "城市交通",
  "transport.lowCarbon": "低碳交通",
  socialHousing: "保障性住房",
  naturalResources: "自然资源与生态",
  "naturalResources.floodProtection": "防洪",
};

/** City departments that typically own projects of a sector (the demo overlay assigns them). */
export const CITY_DEPARTMENTS = [
  "遵义市发展和改革委员会",
  "遵义市教育局",
  "遵义市卫生健康局",
  "遵义市民政局",
  "遵义市体育局",
  "遵义市住房和城乡建设局",
  "遵义市交通运输局",
  "遵义市水务局",
  "遵义市能源局",
  "遵义市生态环境局",
  "遵义市工业和信息化局",
  "遵义市大数据发展管理局",
  "遵义市人力资源和社会保障局",
  "遵义市综合行政执法局",
] as const;

export const CITY_GOVERNMENT = "遵义市人民政府";
export const LEADERSHIP_OFFICE = "遵义市新型城镇化工作领导小组办公室";
export const AUDIT_OFFICE = "遵义市审计局";

/** County governments and their 发改局 (the reviewers of monthly returns). */
export function countyOrganizations(divisionName: string): { government: string; reviewOffice: string } {
  const government = divisionName === "新蒲新区" ? "遵义市新蒲新区管理委员会" : `${divisionName}人民政府`;
  const reviewOffice = `${divisionName}发展和改革局`;
  return { government, reviewOffice };
}
