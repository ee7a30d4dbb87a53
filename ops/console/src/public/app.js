// The console's page: plain DOM, no framework. Every value is set with textContent (never as HTML).
/* global document, location, window, Node -- this file runs in the browser */
const REFRESH_MS = { queues: 2000, orders: 2000, charts: 5000 };

const $ = (selector) => document.querySelector(selector);
const status = $('#status');

/** Creates an element with attributes and children (strings become text). */
function el(tag, attributes = {}, ...children) {
  const svg = ['svg', 'rect', 'title', 'line'].includes(tag);
  const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message ?? `${path} answered ${response.status}`);
  return data;
}

function say(text) {
  status.textContent = `${new Date().toLocaleTimeString()}: ${text}`;
}

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** An age in whole seconds, as SQS's timestamps give it. */
const age = (seconds) => (seconds === null ? '–' : seconds < 1 ? 'under 1 s' : duration(seconds * 1000));

const count = (value) => (value === null || value === undefined ? '?' : String(value));

// --- Queues -----------------------------------------------------------------------------------------------------

function queueState(row) {
  if (row.error) return `ERROR: ${row.error}`;
  if (row.kind === 'dlq') return row.visible > 0 ? `ATTENTION: ${row.visible} dead letter(s)` : 'OK: empty';
  if (row.deadLetterDepth > 0) return 'ATTENTION: has dead letters';
  return row.visible > 0 || row.inFlight > 0 ? 'OK: working' : 'OK: idle';
}

async function renderQueues() {
  const rows = await api('/api/queues');
  const body = $('#queues-table tbody');
  body.replaceChildren(
    ...rows.map((row) =>
      el(
        'tr',
        { class: row.kind === 'dlq' ? 'dlq' : 'source', 'data-queue': row.name },
        el('th', { scope: 'row', 'data-label': 'Queue' }, row.name, row.kind === 'dlq' ? ' (DLQ)' : ''),
        el('td', { 'data-label': 'State', class: queueState(row).startsWith('OK') ? 'ok' : 'alert' }, queueState(row)),
        el('td', { 'data-label': 'Depth' }, count(row.visible)),
        el('td', { 'data-label': 'In flight' }, count(row.inFlight)),
        el('td', { 'data-label': 'Delayed' }, count(row.delayed)),
        el('td', { 'data-label': 'Oldest' }, row.kind === 'dlq' ? age(row.oldestAgeSeconds) : 'n/a'),
        el('td', { 'data-label': 'DLQ depth' }, row.kind === 'source' ? count(row.deadLetterDepth) : '–'),
      ),
    ),
  );
}

// --- Orders -----------------------------------------------------------------------------------------------------

async function renderOrders() {
  const orders = await api('/api/orders');
  const list = $('#orders-list');
  if (orders.length === 0) {
    list.replaceChildren(el('li', { class: 'empty' }, 'No orders yet: place demo orders.'));
    return;
  }
  list.replaceChildren(
    ...orders.map((order) =>
      el(
        'li',
        { class: 'order', 'data-order-id': order.id, 'data-status': order.status },
        el(
          'h3',
          {},
          el('span', { class: 'order-id' }, order.id),
          ' ',
          el('span', { class: 'badge' }, `Status: ${order.status}`),
        ),
        el(
          'p',
          { class: 'meta' },
          `Customer ${order.customerId}. End to end: ${order.endToEndMs === null ? 'under way' : duration(order.endToEndMs)}.`,
        ),
        el(
          'ol',
          { class: 'timeline', 'aria-label': `Timeline of order ${order.id}` },
          ...order.steps.map((step) =>
            el(
              'li',
              { class: step.at ? 'done' : 'pending' },
              el('span', { class: 'mark', 'aria-hidden': 'true' }, step.at ? '✓' : '…'),
              ` ${step.label}: `,
              step.at ? el('time', { datetime: step.at }, new Date(step.at).toLocaleTimeString()) : 'not yet',
              step.sincePreviousMs === null ? '' : ` (+${duration(step.sincePreviousMs)})`,
            ),
          ),
        ),
      ),
    ),
  );
}

$('#demo-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const value = Number($('#demo-count').value);
  try {
    const { placed } = await api('/api/orders/demo', { count: value });
    say(`Placed ${placed.length} demo order(s): ${placed.join(', ')}`);
    location.hash = '#orders';
    await renderOrders();
  } catch (error) {
    say(`Could not place demo orders: ${error.message}`);
  }
});

// --- Charts -----------------------------------------------------------------------------------------------------

/** A bar chart of one series, with its latest and highest value in text. */
function barChart(title, unit, points) {
  const values = points.map((point) => point.value);
  const known = values.filter((value) => value !== null);
  const max = known.length ? Math.max(...known) : 0;
  const width = 600;
  const height = 120;
  const barWidth = width / Math.max(points.length, 1);
  const latest = known.length ? known[known.length - 1] : null;
  const summary = known.length
    ? `Latest ${format(latest, unit)}, highest ${format(max, unit)} over ${points.length} points.`
    : 'No data yet (the source may not serve this figure).';
  const svg = el(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': `${title}. ${summary}`,
      preserveAspectRatio: 'none',
    },
    el('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }),
    ...points.map((point, index) => {
      const h = point.value === null || max === 0 ? 0 : (point.value / max) * (height - 4);
      return el(
        'rect',
        { x: index * barWidth + 1, y: height - h, width: Math.max(barWidth - 2, 1), height: h, class: 'bar' },
        el('title', {}, `${new Date(point.at).toLocaleTimeString()}: ${format(point.value, unit)}`),
      );
    }),
  );
  return el('figure', { class: 'chart' }, el('figcaption', {}, el('strong', {}, title), ` ${summary}`), svg);
}

function format(value, unit) {
  if (value === null) return 'no data';
  if (unit === 'ms') return duration(value);
  if (unit === 'orders') return `${value} order(s)`;
  return `${value.toFixed(value < 10 ? 2 : 0)} ${unit}`;
}

async function renderCharts() {
  const samples = await api('/api/charts');
  const series = (pick) => samples.map((sample) => ({ at: sample.at, value: pick(sample) }));
  const services = [...new Set(samples.flatMap((sample) => Object.keys(sample.processedPerSecond)))];
  $('#charts').replaceChildren(
    samples.length === 0 ? el('p', {}, 'Collecting the first points…') : '',
    barChart(
      'Orders settled per point (dispatched or cancelled)',
      'orders',
      series((sample) => sample.ordersSettled),
    ),
    barChart(
      'End-to-end latency (placed to settled, mean)',
      'ms',
      series((sample) => sample.meanEndToEndMs),
    ),
    ...services.map((name) =>
      barChart(
        `Messages processed by ${name} (from /metrics)`,
        'msg/s',
        series((sample) => sample.processedPerSecond[name] ?? null),
      ),
    ),
    barChart(
      'Time in queue before processing (mean, from /metrics)',
      'ms',
      series((sample) => sample.meanMessageAgeMs),
    ),
  );
}

// --- Dead letters -----------------------------------------------------------------------------------------------

function deadLetterItem(queue, message) {
  const id = `dl-${message.messageId}`;
  return el(
    'li',
    { class: 'dead-letter', 'data-message-id': message.messageId },
    el('input', { type: 'checkbox', id, name: 'messageIds', value: message.messageId }),
    el('label', { for: id }, `Select ${message.type ?? 'message'} ${message.eventId ?? message.messageId}`),
    el(
      'details',
      {},
      el(
        'summary',
        {},
        `Reason: ${message.errorCode ?? 'none recorded'}${message.errorMessage ? `: ${message.errorMessage}` : ''}`,
      ),
      el(
        'dl',
        {},
        ...[
          ['Message id', message.messageId],
          ['Event type', message.type ?? '–'],
          ['Event id', message.eventId ?? '–'],
          ['Error code', message.errorCode ?? '–'],
          ['Error message', message.errorMessage ?? '–'],
          ['Source queue', message.sourceQueue ?? queue.sourceQueue ?? '–'],
          ['Receive count', message.receiveCount ?? '–'],
          ['Group id', message.groupId ?? '–'],
          ['Sent', message.sentAt ? new Date(message.sentAt).toLocaleString() : '–'],
        ].flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, String(value))]),
      ),
      el('pre', { class: 'body', tabindex: '0', 'aria-label': 'Message body' }, message.body),
    ),
  );
}

async function redrive(queue, form, all) {
  const ids = [...form.querySelectorAll('input[name=messageIds]:checked')].map((input) => input.value);
  if (!all && ids.length === 0) {
    say(`Select at least one message of ${queue.name} first.`);
    return;
  }
  try {
    const result = await api(
      `/api/dead-letters/${encodeURIComponent(queue.name)}/redrive`,
      all ? {} : { messageIds: ids },
    );
    const failed = result.failed.map((entry) => `${entry.messageId}: ${entry.error}`).join('; ');
    say(
      `Redrove ${result.redriven.length} message(s) of ${queue.name}` +
        (result.redriven.length
          ? ` to ${[...new Set(result.redriven.map((entry) => entry.sourceQueue))].join(', ')}`
          : '') +
        (failed ? `. Failed: ${failed}` : '.'),
    );
  } catch (error) {
    say(`Redrive failed: ${error.message}`);
  }
  await renderDeadLetters();
}

async function renderDeadLetters() {
  const queues = await api('/api/dead-letters');
  $('#dead-letters').replaceChildren(
    ...queues.map((queue) => {
      const form = el('form', {
        class: 'dlq',
        'aria-label': `Dead letters of ${queue.name}`,
        'data-queue': queue.name,
      });
      form.addEventListener('submit', (event) => event.preventDefault());
      form.append(
        el(
          'h3',
          {},
          `${queue.name}: ${queue.depth} message(s)`,
          queue.sourceQueue ? `, from ${queue.sourceQueue}` : '',
        ),
        queue.messages.length === 0
          ? el('p', {}, 'Empty.')
          : el('ul', { class: 'dead-letters' }, ...queue.messages.map((message) => deadLetterItem(queue, message))),
        queue.messages.length === 0
          ? ''
          : el(
              'div',
              { class: 'actions' },
              el('button', { type: 'button', onclick: () => redrive(queue, form, false) }, 'Redrive selected'),
              el(
                'button',
                { type: 'button', onclick: () => redrive(queue, form, true) },
                `Redrive all of ${queue.name}`,
              ),
            ),
      );
      return form;
    }),
  );
}

$('#dead-letters-refresh').addEventListener('click', () => {
  renderDeadLetters().then(
    () => say('Dead letters refreshed.'),
    (error) => say(`Could not read the dead letters: ${error.message}`),
  );
});

// --- Pages ------------------------------------------------------------------------------------------------------

const renderers = {
  queues: renderQueues,
  orders: renderOrders,
  charts: renderCharts,
  'dead-letters': renderDeadLetters,
};
let timer;
let lastPage = 'queues';

/** The page the hash names; another hash (the skip link's #main) keeps the page shown. */
function currentPage() {
  const page = location.hash.slice(1);
  if (page in renderers) lastPage = page;
  return lastPage;
}

function showPage() {
  const page = currentPage();
  for (const section of document.querySelectorAll('main section')) section.hidden = section.dataset.page !== page;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  clearTimeout(timer);
  const refresh = async () => {
    try {
      await renderers[page]();
    } catch (error) {
      say(`Could not refresh ${page}: ${error.message}`);
    }
    if (REFRESH_MS[page] && currentPage() === page) timer = setTimeout(refresh, REFRESH_MS[page]);
  };
  void refresh();
}

window.addEventListener('hashchange', () => {
  showPage();
  $('#main').focus();
});
showPage();
