/**
 * The small City and ISP databases the geoip tests (and the conformance
 * runner) use, generated with the test MMDB writer: a few networks with
 * the fields DataKit reads (city name, first subdivision, country code,
 * isp), including a Hong Kong one for DataKit's CN remapping and an IPv6
 * network. 1.2.3.4 (the DataKit doc's example) is deliberately absent.
 */
import { writeMmdb } from './mmdb-writer.js';

const place = (city: string, region: string, iso: string) => ({
  city: { geoname_id: 1, names: { en: city, de: `${city} (de)` } },
  subdivisions: [{ iso_code: 'X', names: { en: region } }],
  country: { iso_code: iso, names: { en: iso } },
  location: { time_zone: 'UTC', latitude: 1.5, longitude: -2.25 },
});

export const CITY_NETWORKS = {
  '81.2.69.0/24': place('London', 'England', 'GB'),
  '175.16.199.0/24': place('Changchun', 'Jilin Sheng', 'CN'),
  '61.238.0.0/16': place('Central', 'Central and Western District', 'HK'),
  '2001:db8::/32': place('Testville', 'Docland', 'US'),
  // a network with a country only (no city, no subdivision)
  '89.160.20.0/24': { country: { iso_code: 'SE' } },
};

export const ISP_NETWORKS = {
  '81.2.69.0/24': { isp: 'Andrews & Arnold Ltd', organization: 'AAISP' },
  '2001:db8::/32': { isp: 'Doc ISP', organization: 'Doc' },
};

let city: Buffer | null = null;
let isp: Buffer | null = null;

export function testCityDb(): Buffer {
  city ??= writeMmdb(CITY_NETWORKS, { databaseType: 'GeoLite2-City' });
  return city;
}

export function testIspDb(): Buffer {
  isp ??= writeMmdb(ISP_NETWORKS, { databaseType: 'GeoIP2-ISP' });
  return isp;
}
