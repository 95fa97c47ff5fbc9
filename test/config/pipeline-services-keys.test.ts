/**
 * The `[pipeline]` keys of the tier-3 functions: DataKit's ipdb and
 * http_request keys (both spellings of the CIDR list) and plkit's
 * `http_request_enabled`, deadline and response cap.
 */
import { describe, expect, it } from 'vitest';
import { lines, load } from './fixture.js';

const conf = (body: string) => ({ 'conf.d/datakit.conf': `[pipeline]\n${body}\n` });

describe('[pipeline] keys for geoip and http_request', () => {
  it('reads ipdb_type and ipdb_attr', () => {
    const { config, errors, warnings } = load(
      conf(
        'ipdb_type = "geolite2"\n[pipeline.ipdb_attr]\ngeoip_file = "city.mmdb"\nisp_file = "/x/isp.mmdb"\niploc_file = "i.bin"',
      ),
    );
    expect(errors).toEqual([]);
    expect(lines(warnings).filter((w) => w.includes('pipeline'))).toEqual([]);
    expect(config.pipeline.ipdbType).toBe('geolite2');
    expect(config.pipeline.ipdbAttr).toEqual({ geoipFile: 'city.mmdb', ispFile: '/x/isp.mmdb' });
  });

  it('keeps http_request off unless enabled, and off when DataKit disables it', () => {
    expect(load(conf('')).config.pipeline.httpRequest.enabled).toBe(false);
    expect(load(conf('http_request_enabled = true')).config.pipeline.httpRequest.enabled).toBe(true);
    expect(
      load(conf('http_request_enabled = true\ndisable_http_request_func = true')).config.pipeline.httpRequest
        .enabled,
    ).toBe(false);
  });

  it('reads the allow-lists, both CIDR spellings, and the limits', () => {
    const { config, errors } = load(
      conf(
        [
          'http_request_enabled = true',
          'http_request_host_whitelist = ["api.example.com"]',
          'http_request_cidr_whitelist = ["10.0.0.0/8"]',
          'http_request_cidr_whiltelist = ["127.0.0.1/32"]',
          'http_request_disable_internal_net = true',
          'http_request_timeout = "3s"',
          'http_request_max_response_bytes = 4096',
        ].join('\n'),
      ),
    );
    expect(errors).toEqual([]);
    expect(config.pipeline.httpRequest).toEqual({
      enabled: true,
      hostAllowList: ['api.example.com'],
      cidrAllowList: ['10.0.0.0/8', '127.0.0.1/32'],
      disableInternalNet: true,
      timeoutMs: 3000,
      maxResponseBytes: 4096,
    });
  });

  it.each([
    ['http_request_timeout = "0s"', 'http_request_timeout'],
    ['http_request_max_response_bytes = 0', 'http_request_max_response_bytes'],
    ['http_request_host_whitelist = "a"', 'http_request_host_whitelist'],
  ])('reports %s', (line, key) => {
    const { errors } = load(conf(line));
    expect(lines(errors).join('\n')).toContain(key);
  });
});
