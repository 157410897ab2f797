/**
 * Calibration: the config form checked with the model's ConfigSchema (its messages under each
 * field), a live preview of the mapping curve (the model's mapReadingToAngle), and after saving,
 * whether the next state follows the new calibration.
 */
import { DEFAULT_CONFIG, ConfigSchema, mapReadingToAngle, validate, type Config, type Mapping } from '@firelink/model';
import { checkCalibration, curvePoints, followsCalibration, formFromConfig, mappingCurve, type CalibrationForm, type ConfigField } from '../logic/calibration.js';
import { formatTime } from '../logic/format.js';
import type { DeviceStore } from '../store/device-store.js';
import type { DeviceActions } from './actions.js';
import { Disposer, field, h, setText } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 240;
const H = 120;

export function calibrationPanel(store: DeviceStore, actions: DeviceActions, disposer: Disposer): HTMLElement {
  const inputs = {
    inMin: h('input', { name: 'inMin', inputmode: 'numeric', autocomplete: 'off' }),
    inMax: h('input', { name: 'inMax', inputmode: 'numeric', autocomplete: 'off' }),
    outMin: h('input', { name: 'outMin', inputmode: 'numeric', autocomplete: 'off' }),
    outMax: h('input', { name: 'outMax', inputmode: 'numeric', autocomplete: 'off' }),
    sampleMs: h('input', { name: 'sampleMs', inputmode: 'numeric', autocomplete: 'off' }),
    heartbeatMs: h('input', { name: 'heartbeatMs', inputmode: 'numeric', autocomplete: 'off' }),
  };
  const invert = h('input', { type: 'checkbox', name: 'invert', id: 'cal-invert' });
  const fields: Record<Exclude<ConfigField, 'mapping.invert'>, ReturnType<typeof field>> = {
    'mapping.inMin': field('IR in, minimum (0–4095)', inputs.inMin),
    'mapping.inMax': field('IR in, maximum (0–4095)', inputs.inMax),
    'mapping.outMin': field('Angle out, minimum (0–180°)', inputs.outMin),
    'mapping.outMax': field('Angle out, maximum (0–180°)', inputs.outMax),
    sampleMs: field('Sample period (ms)', inputs.sampleMs),
    heartbeatMs: field('Heartbeat period (ms)', inputs.heartbeatMs),
  };
  const invertField = h('div', { class: 'field field-check' }, invert, h('label', { for: 'cal-invert' }, 'Invert (turn the servo the other way)'));
  const formError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const result = h('p', { class: 'save-status', role: 'status', 'aria-live': 'polite' });

  const curve = document.createElementNS(SVG, 'polyline');
  curve.setAttribute('class', 'curve');
  const marker = document.createElementNS(SVG, 'circle');
  marker.setAttribute('r', '4');
  marker.setAttribute('class', 'curve-marker');
  const plot = document.createElementNS(SVG, 'svg');
  for (const [k, v] of Object.entries({ viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-labelledby': 'curve-desc' })) plot.setAttribute(k, String(v));
  const frame = document.createElementNS(SVG, 'rect');
  for (const [k, v] of Object.entries({ x: 0, y: 0, width: W, height: H, class: 'curve-frame' })) frame.setAttribute(k, String(v));
  plot.append(frame, curve, marker);
  const curveDesc = h('p', { id: 'curve-desc', class: 'hint' });
  const preview = h('figure', { class: 'curve-preview' }, plot as unknown as Node, h('figcaption', {}, curveDesc));

  const read = (): CalibrationForm => ({
    inMin: inputs.inMin.value, inMax: inputs.inMax.value, outMin: inputs.outMin.value, outMax: inputs.outMax.value,
    invert: invert.checked, sampleMs: inputs.sampleMs.value, heartbeatMs: inputs.heartbeatMs.value,
  });
  const write = (f: CalibrationForm): void => {
    inputs.inMin.value = f.inMin; inputs.inMax.value = f.inMax; inputs.outMin.value = f.outMin; inputs.outMax.value = f.outMax;
    invert.checked = f.invert; inputs.sampleMs.value = f.sampleMs; inputs.heartbeatMs.value = f.heartbeatMs;
  };

  let dirty = false;
  let previewMapping: Mapping | undefined;
  const showPreview = (): void => {
    const check = checkCalibration(read());
    for (const [name, f] of Object.entries(fields)) f.setError(check.ok ? undefined : check.errors[name as ConfigField]);
    const other = check.ok ? undefined : check.errors.config ?? check.errors['mapping.invert'];
    formError.hidden = !other;
    setText(formError, other ?? '');
    previewMapping = check.ok ? check.config.mapping : undefined;
    if (!previewMapping) {
      curve.setAttribute('points', '');
      setText(curveDesc, 'The preview needs a valid calibration.');
    } else {
      const m = previewMapping;
      curve.setAttribute('points', curvePoints(mappingCurve(m), W, H));
      setText(curveDesc, `Mapping preview: IR ${m.inMin}–${m.inMax} maps to ${m.invert ? `${m.outMax}–${m.outMin}` : `${m.outMin}–${m.outMax}`}°, clamped outside.`);
    }
    placeMarker();
  };
  const placeMarker = (): void => {
    const ir = store.state.get()?.ir;
    if (!previewMapping || ir === undefined) return marker.setAttribute('visibility', 'hidden');
    const angle = mapReadingToAngle(ir, previewMapping);
    marker.setAttribute('cx', String((ir / 4095) * W));
    marker.setAttribute('cy', String(H - (angle / 180) * H));
    marker.setAttribute('visibility', 'visible');
  };

  let saved: { mapping: Mapping; atMs: number } | undefined;
  const showFollow = (): void => {
    const s = store.state.get();
    if (!saved) return;
    if (!s || s.ir === undefined || s.angle === undefined || s.ts === undefined) {
      setText(result, `Saved at ${formatTime(saved.atMs)}. Waiting for the next reading…`);
      return;
    }
    const verdict = followsCalibration({ ir: s.ir, angle: s.angle, ts: s.ts }, saved.mapping, saved.atMs);
    const expected = mapReadingToAngle(s.ir, saved.mapping);
    if (verdict === 'follows') {
      result.dataset.follows = 'true';
      setText(result, `Saved. The next state follows the new calibration: IR ${s.ir} → ${s.angle}° (seq ${s.seq ?? '?'}, ${formatTime(s.ts)}).`);
    } else {
      // A reading mapped while the save was in flight may still use the old calibration.
      setText(result, `Saved at ${formatTime(saved.atMs)}. Waiting for a reading mapped with it (last state: IR ${s.ir} → ${s.angle}°, the new calibration gives ${expected}°)…`);
    }
  };

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const check = checkCalibration(read());
    showPreview();
    if (!check.ok) {
      setText(result, 'Not saved: fix the fields marked above.');
      return;
    }
    setText(result, 'Saving…');
    delete result.dataset.follows;
    try {
      await actions.saveConfig(check.config);
      dirty = false;
      saved = { mapping: check.config.mapping, atMs: actions.serverNow() };
      showFollow();
    } catch (err) {
      setText(result, `Not saved: ${actions.describeError(err)}`);
    }
  };

  for (const input of [...Object.values(inputs), invert]) {
    input.addEventListener('input', () => {
      dirty = true;
      showPreview();
    });
  }
  disposer.add(
    store.config.subscribe((config) => {
      if (config === undefined || dirty) return;
      const valid = validate(ConfigSchema, config, 'config');
      write(formFromConfig(valid.ok ? (valid.value as Config) : DEFAULT_CONFIG));
      if (!valid.ok && config !== null) setText(result, `The stored config is invalid (${valid.error.message}); the form shows the defaults.`);
      showPreview();
    }),
  );
  disposer.add(store.state.subscribe(() => {
    placeMarker();
    showFollow();
  }));

  const form = h(
    'form',
    { class: 'calibration-form', 'aria-label': 'Calibration', novalidate: true, onsubmit: (e: Event) => void save(e) },
    h('div', { class: 'grid-fields' }, ...Object.values(fields).map((f) => f.wrap), invertField),
    formError,
    h('button', { type: 'submit' }, 'Save calibration'),
  );
  return h('section', { class: 'panel', 'aria-labelledby': 'calibration-title' }, h('h2', { id: 'calibration-title' }, 'Calibration'), h('div', { class: 'calibration' }, form, preview), result);
}
