/**
 * IP geolocation for `geoip()`: MaxMind-format databases (DataKit's
 * `ipdb_type = "geolite2"`), a City database and optionally an ISP one,
 * read with mmdb-lib. The answer is DataKit's record: city (English
 * name), province (first subdivision), country (ISO code) and isp; Taiwan,
 * Macao and Hong Kong are reported as country CN with that region, as
 * DataKit does.
 *
 * A string that is not an IP address, an IPv6 address in an IPv4-only
 * database, or a broken database answers null (geoip() then adds
 * nothing). An address the database does not hold answers empty strings,
 * as DataKit's reader does; isp is "unknown" without an ISP database.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { type CityResponse, type IspResponse, Reader } from 'mmdb-lib';
import { mappedIPv4 } from './net-policy.js';

export interface GeoRecord {
  city: string;
  province: string;
  country: string;
  isp: string;
}

const REGIONS_OF_CN: Readonly<Record<string, string>> = { TW: 'Taiwan', MO: 'Macao', HK: 'Hong Kong' };

export class GeoIpService {
  readonly #city: Reader<CityResponse>;
  readonly #isp: Reader<IspResponse> | null;

  /** From database contents (or readers); throws when a buffer is not a MaxMind database. */
  constructor(cityDb: Buffer | Reader<CityResponse>, ispDb?: Buffer | Reader<IspResponse> | null) {
    this.#city = cityDb instanceof Reader ? cityDb : new Reader<CityResponse>(cityDb);
    this.#isp = ispDb ? (ispDb instanceof Reader ? ispDb : new Reader<IspResponse>(ispDb)) : null;
  }

  /** Open the database files (the ISP one is optional); throws naming the file at fault. */
  static open(cityPath: string, ispPath?: string): GeoIpService {
    const city = openReader<CityResponse>(cityPath);
    const isp = ispPath ? openReader<IspResponse>(ispPath) : null;
    return new GeoIpService(city, isp);
  }

  lookup(ip: string): GeoRecord | null {
    const addr = normalizeIp(ip);
    if (addr === null) return null;
    let rec: CityResponse | null;
    try {
      if (isIP(addr) === 6 && this.#city.metadata.ipVersion === 4) return null;
      rec = this.#city.get(addr);
    } catch {
      return null;
    }
    const out: GeoRecord = {
      city: (rec?.city?.names as Record<string, string> | undefined)?.en ?? '',
      province: (rec?.subdivisions?.[0]?.names as Record<string, string> | undefined)?.en ?? '',
      country: rec?.country?.iso_code ?? '',
      isp: this.#ispOf(addr),
    };
    const region = REGIONS_OF_CN[out.country];
    if (region !== undefined) {
      out.country = 'CN';
      out.province = region;
    }
    return out;
  }

  #ispOf(addr: string): string {
    if (this.#isp === null) return 'unknown';
    try {
      if (isIP(addr) === 6 && this.#isp.metadata.ipVersion === 4) return 'unknown';
      return this.#isp.get(addr)?.isp ?? '';
    } catch {
      return 'unknown';
    }
  }
}

function openReader<T extends CityResponse | IspResponse>(path: string): Reader<T> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new Error(`geoip: cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return new Reader<T>(buf);
  } catch (e) {
    throw new Error(`geoip: ${path} is not a MaxMind database: ${(e as Error).message}`);
  }
}

/** An address as Go's net.ParseIP accepts it (no zone), IPv4-mapped IPv6 as IPv4; null otherwise. */
export function normalizeIp(s: string): string | null {
  if (s.includes('%')) return null;
  const fam = isIP(s);
  if (fam === 0) return null;
  if (fam === 4) return s;
  return mappedIPv4(s) ?? s.toLowerCase();
}
