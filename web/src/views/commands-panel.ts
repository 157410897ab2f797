/** Commands: send one (checked with the model's CommandCreateSchema) and watch acks or expiry arrive. */
import { checkCommand, commandLine, COMMAND_LABELS, COMMAND_TYPES, type CommandForm } from '../logic/commands.js';
import type { DeviceStore } from '../store/device-store.js';
import type { DeviceActions } from './actions.js';
import { Disposer, field, h, setText } from './dom.js';

export function commandsPanel(store: DeviceStore, actions: DeviceActions, disposer: Disposer): HTMLElement {
  const type = h('select', { name: 'type' }, ...COMMAND_TYPES.map((t) => h('option', { value: t }, COMMAND_LABELS[t])));
  const angle = h('input', { name: 'angle', inputmode: 'numeric', autocomplete: 'off', value: '90' });
  const durationMs = h('input', { name: 'durationMs', inputmode: 'numeric', autocomplete: 'off' });
  const bound = h('select', { name: 'bound' }, h('option', { value: 'min' }, 'minimum'), h('option', { value: 'max' }, 'maximum'));
  const fType = field('Command', type);
  const fAngle = field('Angle (0–180°)', angle);
  const fDuration = field('Duration (ms, optional)', durationMs);
  const fBound = field('Bound', bound);
  const status = h('p', { role: 'status' });
  const list = h('ol', { class: 'command-list', 'aria-live': 'polite', 'aria-label': 'Recent commands, newest first' });
  const sync = (): void => {
    fAngle.wrap.hidden = type.value !== 'set-angle';
    fDuration.wrap.hidden = type.value !== 'identify';
    fBound.wrap.hidden = type.value !== 'calibrate';
  };
  type.addEventListener('change', sync);
  sync();

  const send = async (e: Event): Promise<void> => {
    e.preventDefault();
    const form: CommandForm = { type: type.value, angle: angle.value, durationMs: durationMs.value, bound: bound.value };
    const check = checkCommand(form, actions.serverNow());
    fType.setError(undefined);
    const target = type.value === 'set-angle' ? fAngle : type.value === 'identify' ? fDuration : fType;
    target.setError(check.ok ? undefined : check.error);
    if (!check.ok) {
      setText(status, 'Not sent: fix the field marked above.');
      return;
    }
    setText(status, 'Sending…');
    try {
      const id = await actions.sendCommand(check.draft);
      setText(status, `Sent ${check.draft.type} (${id}); its acknowledgement appears below.`);
    } catch (err) {
      setText(status, `Not sent: ${actions.describeError(err)}`);
    }
  };

  disposer.add(
    store.commands.subscribe((commands) => {
      const lines = [...commands.entries()]
        .sort((a, b) => Number(b[1].createdAt ?? 0) - Number(a[1].createdAt ?? 0))
        .map(([id, c]) => commandLine(id, c as Parameters<typeof commandLine>[1]));
      if (lines.length === 0) {
        list.replaceChildren(h('li', { class: 'muted' }, 'No commands yet.'));
        return;
      }
      list.replaceChildren(
        ...lines.map((l) =>
          h('li', { 'data-id': l.id, 'data-phase': l.phase, class: `command command-${l.phase}` }, h('strong', {}, l.what), ` sent ${l.sent}: `, h('span', { class: 'outcome' }, l.outcome)),
        ),
      );
    }),
  );

  const form = h('form', { class: 'inline-form', 'aria-label': 'Send a command', onsubmit: (e: Event) => void send(e) }, fType.wrap, fAngle.wrap, fDuration.wrap, fBound.wrap, h('button', { type: 'submit' }, 'Send command'));
  return h('section', { class: 'panel', 'aria-labelledby': 'commands-title' }, h('h2', { id: 'commands-title' }, 'Commands'), form, status, list);
}
