import { describe, expect, it } from 'vitest';
import { stackConfig } from '../config.js';
import { OptionError, parseStartOptions } from './options.js';

describe('npm start options', () => {
  const config = stackConfig();

  it('runs the MQTT gateway on 1883/8083 with no MQTT devices by default', () => {
    const options = parseStartOptions([], {}, config);
    expect(options).toMatchObject({ devices: 3, mqttPort: 1883, mqttWsPort: 8083, mqttFleet: 0 });
  });

  it('takes the MQTT options from flags over FIRELINK_* variables', () => {
    const options = parseStartOptions(['--mqtt-fleet', '2', '--mqtt-port', '11883'], { FIRELINK_MQTT_FLEET: '1', FIRELINK_MQTT_WS_PORT: '18083' }, config);
    expect(options).toMatchObject({ mqttFleet: 2, mqttPort: 11883, mqttWsPort: 18083 });
  });

  it('refuses more MQTT devices than demo devices, naming both', () => {
    expect(() => parseStartOptions(['--devices', '1', '--mqtt-fleet', '2'], {}, config)).toThrow(OptionError);
    expect(() => parseStartOptions(['--devices', '1', '--mqtt-fleet', '2'], {}, config)).toThrow(/--mqtt-fleet \(2\) must be at most --devices \(1\)/);
  });

  it('takes --shards over FIRELINK_SHARDS, default 1, within 1..16', () => {
    expect(parseStartOptions([], {}, config).shards).toBe(1);
    expect(parseStartOptions([], { FIRELINK_SHARDS: '3' }, config).shards).toBe(3);
    expect(parseStartOptions(['--shards', '4'], { FIRELINK_SHARDS: '3' }, config).shards).toBe(4);
    expect(() => parseStartOptions(['--shards', '17'], {}, config)).toThrow(/--shards must be a whole number from 1 to 16 \(got "17"\)/);
    expect(() => parseStartOptions([], { FIRELINK_SHARDS: 'a,b' }, config)).toThrow(/FIRELINK_SHARDS must be a whole number/);
    // The gateway routes each device by the directory, so MQTT devices may live on any shard.
    expect(parseStartOptions(['--shards', '2', '--mqtt-fleet', '1'], {}, config)).toMatchObject({ shards: 2, mqttFleet: 1 });
  });

  it('passes FIRELINK_LOG_MAPPED_READINGS=true to the functions with --verbose, unless the environment sets it', () => {
    expect(parseStartOptions([], {}, config).functionsEnv).toEqual({});
    expect(parseStartOptions(['--verbose'], {}, config).functionsEnv).toEqual({ FIRELINK_LOG_MAPPED_READINGS: 'true' });
    expect(parseStartOptions([], { FIRELINK_VERBOSE: '1' }, config).functionsEnv).toEqual({ FIRELINK_LOG_MAPPED_READINGS: 'true' });
    // An explicit value stays (it reaches the functions through the environment as it is).
    expect(parseStartOptions(['--verbose'], { FIRELINK_LOG_MAPPED_READINGS: 'false' }, config).functionsEnv).toEqual({});
  });
});
