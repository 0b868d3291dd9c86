/**
 * The map as a PNG for a report: the map's canvas as drawn (MapLibre keeps its drawing buffer for
 * this), with a title, the legend that says what the colours mean, the scale bar and the data's
 * credit drawn on a 2D canvas around it. No DOM-to-image library: every part is drawn here.
 */
import { NOT_ASSESSED_COLOUR, OTHER_COLOUR, SHARE_STOPS } from './colours.js';
import { nameOf, t } from './i18n.js';

const FONT = 'system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';

/** Resolves to a PNG Blob of the map with `title`, the legend (`basisText`, groups) and the credit. */
export async function mapPng(view, { title, subtitle, basisText, groups, colours, credit }) {
  const source = view.map.getCanvas();
  const ratio = source.width / source.clientWidth || 1;
  const legendW = Math.round(260 * ratio);
  const headH = Math.round(56 * ratio);
  const out = document.createElement('canvas');
  out.width = source.width + legendW;
  out.height = source.height + headH;
  const g = out.getContext('2d');
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(source, 0, headH);
  const px = (n) => Math.round(n * ratio);
  g.fillStyle = '#222222';
  g.font = `bold ${px(18)}px ${FONT}`;
  g.fillText(title, px(12), px(24));
  g.font = `${px(12)}px ${FONT}`;
  g.fillStyle = '#555555';
  g.fillText(subtitle, px(12), px(44));

  // The legend, right of the map.
  let y = headH + px(20);
  const x = source.width + px(14);
  const text = (s, size = 12, colour = '#222222') => {
    g.font = `${px(size)}px ${FONT}`;
    g.fillStyle = colour;
    for (const line of wrap(g, s, legendW - px(28))) {
      g.fillText(line, x, y);
      y += px(size + 4);
    }
  };
  text(t('legend'), 14);
  text(basisText, 11, '#444444');
  const ramp = g.createLinearGradient(x, 0, x + legendW - px(28), 0);
  for (const [s, c] of SHARE_STOPS) ramp.addColorStop(s, c);
  g.fillStyle = ramp;
  g.fillRect(x, y, legendW - px(28), px(10));
  y += px(24);
  g.font = `${px(10)}px ${FONT}`;
  g.fillStyle = '#555555';
  g.fillText('0%', x, y - px(2));
  g.fillText('100%', x + legendW - px(28) - g.measureText('100%').width, y - px(2));
  y += px(8);
  swatch(g, x, y, px(12), NOT_ASSESSED_COLOUR, true);
  g.fillStyle = '#222222';
  g.font = `${px(11)}px ${FONT}`;
  y += px(10);
  g.fillText(t('notAssessed'), x + px(18), y);
  y += px(20);
  text(t('facilities'), 12);
  for (const group of groups) {
    swatch(g, x, y - px(10), px(10), colours.get(group.id));
    g.fillStyle = '#222222';
    g.font = `${px(11)}px ${FONT}`;
    g.fillText(nameOf(group), x + px(16), y);
    y += px(16);
  }
  swatch(g, x, y - px(10), px(10), OTHER_COLOUR);
  g.fillStyle = '#222222';
  g.fillText(t('other'), x + px(16), y);

  // The scale bar, as the map draws it, at the map's bottom left.
  const scale = view.scaleBar();
  if (scale) {
    const sx = px(10);
    const sy = out.height - px(30);
    g.fillStyle = 'rgba(255,255,255,0.85)';
    g.fillRect(sx - px(4), sy - px(16), px(scale.width) + px(8), px(24));
    g.strokeStyle = '#333333';
    g.lineWidth = px(2);
    g.beginPath();
    g.moveTo(sx, sy - px(6));
    g.lineTo(sx, sy);
    g.lineTo(sx + px(scale.width), sy);
    g.lineTo(sx + px(scale.width), sy - px(6));
    g.stroke();
    g.fillStyle = '#333333';
    g.font = `${px(11)}px ${FONT}`;
    g.fillText(scale.text, sx + px(4), sy - px(4));
  }
  if (credit) {
    g.font = `${px(10)}px ${FONT}`;
    g.fillStyle = '#555555';
    g.fillText(credit, source.width - g.measureText(credit).width - px(8), out.height - px(8));
  }
  return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the map could not be drawn'))), 'image/png'));
}

function swatch(g, x, y, size, colour, hatched = false) {
  g.fillStyle = hatched ? '#ebebeb' : colour;
  g.fillRect(x, y, size, size);
  if (hatched) {
    g.save();
    g.beginPath();
    g.rect(x, y, size, size);
    g.clip();
    g.strokeStyle = colour;
    g.lineWidth = 1.5;
    for (let d = -size; d < size * 2; d += 4) {
      g.beginPath();
      g.moveTo(x + d, y + size);
      g.lineTo(x + d + size, y);
      g.stroke();
    }
    g.restore();
  }
  g.strokeStyle = 'rgba(0,0,0,0.35)';
  g.lineWidth = 1;
  g.strokeRect(x, y, size, size);
}

/** Splits text into lines no wider than `width` (CJK text has no spaces: by character). */
function wrap(g, text, width) {
  const lines = [];
  let line = '';
  for (const ch of text) {
    if (g.measureText(line + ch).width > width && line) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}
