// The live terminal view of one device: the 16x2 LCD as the firmware shows it, the servo's
// angle as a gauge, and the link and queue counters. `renderView` is pure (tested); `LiveView`
// redraws it in place on a TTY at most a few times per second.
import { ANGLE_MAX, LCD_COLUMNS } from '@firelink/model';
import type { DeviceView } from '../device/device.js';

const GAUGE_CHARS = 30;

export function renderView(view: Readonly<DeviceView>, nowMs: number): string[] {
  const pad = (text: string) => text.padEnd(LCD_COLUMNS, ' ').slice(0, LCD_COLUMNS);
  const identifying = view.identifyUntilMs > nowMs;
  // Identify blinks the backlight twice a second: shown as an inverted frame.
  const lit = !identifying || Math.floor(nowMs / 250) % 2 === 0;
  const edge = lit ? '─' : '═';
  const angle = view.angle;
  const filled = angle === null ? 0 : Math.round((angle / ANGLE_MAX) * GAUGE_CHARS);
  const gauge = angle === null ? '.'.repeat(GAUGE_CHARS) : `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${'.'.repeat(GAUGE_CHARS - filled)}`;
  const lines = [
    `device ${view.deviceId}  [${view.transport}]  ${view.online ? 'ONLINE ' : 'OFFLINE'}${identifying ? '  IDENTIFY' : ''}`,
    `┌${edge.repeat(LCD_COLUMNS)}┐`,
    `│${pad(view.lcd.line1)}│   servo ${angle === null ? ' --' : String(angle).padStart(3, ' ')} deg`,
    `│${pad(view.lcd.line2)}│   [${gauge}]`,
    `└${edge.repeat(LCD_COLUMNS)}┘`,
    `ir ${view.lastIr ?? '--'}  sample ${view.sampleMs} ms  heartbeat ${view.heartbeatMs} ms`,
    `sent ${view.sent}  acked ${view.acked}  queued ${view.queued}  states ${view.stateUpdates}  last ${view.lastReadingId ?? '--'}`,
  ];
  if (view.lastError) lines.push(`last error: ${view.lastError.slice(0, 100)}`);
  return lines;
}

export class LiveView {
  private drawnLines = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private latest: Readonly<DeviceView> | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly minIntervalMs = 100,
  ) {}

  update(view: Readonly<DeviceView>): void {
    this.latest = view;
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.draw();
    }, this.minIntervalMs);
  }

  draw(): void {
    if (!this.latest) return;
    const lines = renderView(this.latest, Date.now());
    // Move up over the previous frame and clear each line (ANSI CSI "F" and "K").
    let text = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
    for (const line of lines) text += `\x1b[2K${line}\n`;
    if (this.drawnLines > lines.length) text += '\x1b[J';
    this.out.write(text);
    this.drawnLines = lines.length;
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.draw();
  }
}
