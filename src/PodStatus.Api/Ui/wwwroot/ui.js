// PodStatus's live page: pods, nodes and events, each kept the way a client-go informer keeps a cache (list, then
// watch from the list's resourceVersion with bookmarks; list again on 410 Expired; reconnect when the server goes).
// Plain JavaScript with no build step and nothing fetched from elsewhere: every call is an ordinary API call.
'use strict';

const $ = (selector) => document.querySelector(selector);
const TOKEN_KEY = 'podstatus.token';
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const PHASE_COLORS = { Pending: '#b08800', Running: '#1a7f37', Succeeded: '#0b5cad', Failed: '#cf222e', Unknown: '#6e7781' };
const PAGE_SIZE = 500;
const ROW_HEIGHT = 28;

// ---- API calls -------------------------------------------------------------------------------------------------

/** A failed API call, with the Status the server answered (its message is upstream's). */
class ApiError extends Error {
  constructor(code, status) {
    super(status?.message || `HTTP ${code}`);
    this.code = code;
    this.status = status;
  }
}

const auth = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  waiting: null,
  headers(extra = {}) {
    return this.token ? { ...extra, Authorization: `Bearer ${this.token}` } : extra;
  },
  /** Asks for a token once, however many calls were refused meanwhile; resolves when one is given. */
  ask(reason) {
    this.waiting ??= new Promise((resolve) => {
      $('#token-why').textContent = reason;
      const dialog = $('#token-dialog');
      const form = $('#token-form');
      const done = (token) => {
        this.waiting = null;
        if (token !== null) {
          this.token = token;
          sessionStorage.setItem(TOKEN_KEY, token);
          $('#sign-in').hidden = false;
        }
        resolve(token !== null);
      };
      form.onsubmit = () => done($('#token-input').value.trim());
      $('#token-cancel').onclick = () => { dialog.close(); done(null); };
      dialog.oncancel = () => done(null);
      $('#token-input').value = '';
      dialog.showModal();
    });
    return this.waiting;
  },
};

async function errorOf(response) {
  let status = null;
  try {
    status = await response.json();
  } catch { /* not a Status */ }
  return new ApiError(response.status, status?.kind === 'Status' ? status : null);
}

/** GET a path as JSON; a 401 asks for a token and tries again. */
async function getJson(path, signal) {
  for (;;) {
    const response = await fetch(path, { headers: auth.headers({ Accept: 'application/json' }), signal });
    if (response.ok) {
      return response.json();
    }
    const error = await errorOf(response);
    if (error.code !== 401 || !(await auth.ask(auth.token ? 'That token was not accepted: give another.' : 'This server asks for a bearer token. It is kept for this tab only, and sent with every API call the page makes.'))) {
      throw error;
    }
  }
}

function query(params) {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== '');
  return entries.length ? '?' + entries.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&') : '';
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

// ---- The informer ----------------------------------------------------------------------------------------------

/**
 * Keeps `items` (key: namespace/name) in step with the server: lists in pages, then watches from the list's
 * resourceVersion with bookmarks. A 410 (or a resourceVersion the server does not know, as after a restart)
 * lists again; a dropped connection reconnects with backoff and resumes from the last resourceVersion seen.
 * Changes are queued as they arrive and handed to `onChanges` at most once per animation frame.
 */
class Informer {
  constructor({ path, selectors = {}, toItem = (object) => object, onChanges, onState, onProblem }) {
    Object.assign(this, { path, selectors, toItem, onChanges, onState, onProblem });
    this.items = new Map();
    this.resourceVersion = '';
    this.relists = 0;
    this.queue = [];
    this.controller = new AbortController();
    this.run();
  }

  stop() {
    this.controller.abort();
  }

  get stopped() {
    return this.controller.signal.aborted;
  }

  async run() {
    let backoff = 500;
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) {
          await this.list();
        }
        this.onProblem(null);
        await this.watch();
        backoff = 500;
      } catch (error) {
        if (this.stopped) {
          return;
        }
        if (error instanceof ApiError) {
          if (error.code === 401 || error.code === 403) {
            // Not allowed: say upstream's message and wait for another token or other filters.
            this.onProblem(error.message);
            this.onState('not allowed');
            this.stop();
            return;
          }
          // 410 Expired, or a resourceVersion this server never had (it restarted): list again, as an informer does.
          this.resourceVersion = '';
          this.relists++;
          this.onState(`listing again after ${error.code} ${error.status?.reason || ''}`.trim());
          continue;
        }
        this.onState(`disconnected: retrying in ${(backoff / 1000).toFixed(1)} s`);
        await sleep(backoff, this.controller.signal);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  async list() {
    this.onState('listing…');
    const fresh = new Map();
    const first = this.items.size === 0;
    let next = '';
    let resourceVersion = '';
    do {
      const page = await getJson(this.path + query({ ...this.selectors, limit: PAGE_SIZE, continue: next }), this.controller.signal);
      resourceVersion = page.metadata.resourceVersion;
      next = page.metadata.continue || '';
      for (const object of page.items) {
        fresh.set(keyOf(object), this.toItem(object));
      }
      if (first) {
        // The first list shows its rows as pages come, so the first ones show at once.
        this.items = fresh;
        this.onChanges({ reset: true, changes: [] });
        this.onState(`listing… ${fresh.size.toLocaleString()}`);
      }
    } while (next);
    this.items = fresh;
    this.queue = [];
    this.resourceVersion = resourceVersion;
    this.onChanges({ reset: true, changes: [] });
  }

  async watch() {
    const url = this.path + query({
      ...this.selectors, watch: 1, resourceVersion: this.resourceVersion, allowWatchBookmarks: true,
      timeoutSeconds: 240 + Math.floor(Math.random() * 120),
    });
    const response = await fetch(url, { headers: auth.headers(), signal: this.controller.signal });
    if (!response.ok) {
      throw await errorOf(response);
    }
    this.onState(this.relists ? `watching · listed again ${this.relists}× after 410` : 'watching');
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return; // the server's timeout: watch again from where this one ended
      }
      buffered += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (line.trim()) {
          this.receive(JSON.parse(line));
        }
      }
    }
  }

  receive(event) {
    if (event.type === 'ERROR') {
      throw new ApiError(event.object?.code || 500, event.object);
    }
    this.resourceVersion = event.object.metadata.resourceVersion;
    if (event.type === 'BOOKMARK') {
      return;
    }
    this.queue.push(event);
    if (this.queue.length === 1) {
      // Batched: at most once per frame, and once a second when the tab is hidden (frames stop there).
      if (document.hidden) {
        setTimeout(() => this.flush(), 1000);
      } else {
        requestAnimationFrame(() => this.flush());
      }
    }
  }

  flush() {
    const events = this.queue;
    this.queue = [];
    if (events.length === 0) {
      return;
    }
    const changes = [];
    for (const { type, object } of events) {
      const key = keyOf(object);
      const old = this.items.get(key);
      if (type === 'DELETED') {
        this.items.delete(key);
        changes.push({ type, key, old, item: undefined, object });
      } else {
        const item = this.toItem(object);
        this.items.set(key, item);
        changes.push({ type, key, old, item, object });
      }
    }
    this.onChanges({ reset: false, changes });
  }
}

const keyOf = (object) => `${object.metadata.namespace || ''}/${object.metadata.name}`;

// ---- What each resource shows ----------------------------------------------------------------------------------

function age(timestamp, now = Date.now()) {
  if (!timestamp) {
    return '<unknown>';
  }
  // As kubectl's duration.HumanDuration, shortened.
  const seconds = Math.max(0, Math.floor((now - timestamp) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  return days < 8 ? `${days}d${hours % 24 ? `${hours % 24}h` : ''}` : days < 365 * 2 ? `${days}d` : `${Math.floor(days / 365)}y`;
}

const time = (text) => (text ? Date.parse(text) : 0);

const RESOURCES = {
  pods: {
    title: 'Pods',
    path: (namespace) => (namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods` : '/api/v1/pods'),
    namespaced: true,
    toItem(pod) {
      const statuses = pod.status?.containerStatuses || [];
      return {
        namespace: pod.metadata.namespace,
        name: pod.metadata.name,
        phase: pod.status?.phase || 'Pending',
        terminating: Boolean(pod.metadata.deletionTimestamp),
        ready: `${statuses.filter((s) => s.ready).length}/${pod.spec?.containers?.length || statuses.length}`,
        restarts: statuses.reduce((sum, s) => sum + (s.restartCount || 0), 0),
        node: pod.spec?.nodeName || '',
        ip: pod.status?.podIP || '',
        created: time(pod.metadata.creationTimestamp),
        resourceVersion: pod.metadata.resourceVersion,
      };
    },
    columns: [
      ['Namespace', '10rem', (p) => p.namespace],
      ['Name', 'minmax(12rem, 2fr)', (p) => p.name],
      ['Phase', '8rem', (p) => p.phase + (p.terminating ? ' (Terminating)' : ''), (p) => p.phase],
      ['Ready', '5rem', (p) => p.ready],
      ['Restarts', '5rem', (p) => String(p.restarts)],
      ['Node', 'minmax(8rem, 1fr)', (p) => p.node],
      ['Pod IP', '8rem', (p) => p.ip],
      ['Age', '5rem', (p, now) => age(p.created, now)],
    ],
    compare: (a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name),
  },
  nodes: {
    title: 'Nodes',
    path: () => '/api/v1/nodes',
    namespaced: false,
    toItem(node) {
      const ready = (node.status?.conditions || []).find((c) => c.type === 'Ready');
      const status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
      const roles = Object.keys(node.metadata.labels || {})
        .filter((label) => label.startsWith('node-role.kubernetes.io/'))
        .map((label) => label.slice('node-role.kubernetes.io/'.length));
      return {
        namespace: '',
        name: node.metadata.name,
        status: status + (node.spec?.unschedulable ? ',SchedulingDisabled' : ''),
        roles: roles.join(',') || '<none>',
        created: time(node.metadata.creationTimestamp),
        version: node.status?.nodeInfo?.kubeletVersion || '',
        ip: (node.status?.addresses || []).find((a) => a.type === 'InternalIP')?.address || '<none>',
        podCidr: node.spec?.podCIDR || '',
      };
    },
    columns: [
      ['Name', 'minmax(12rem, 2fr)', (n) => n.name],
      ['Status', '12rem', (n) => n.status],
      ['Roles', '8rem', (n) => n.roles],
      ['Age', '5rem', (n, now) => age(n.created, now)],
      ['Version', '8rem', (n) => n.version],
      ['Internal IP', '9rem', (n) => n.ip],
      ['Pod CIDR', '10rem', (n) => n.podCidr],
    ],
    compare: (a, b) => compareText(a.name, b.name),
  },
  events: {
    title: 'Events',
    path: (namespace) => (namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/events` : '/api/v1/events'),
    namespaced: true,
    toItem: eventItem,
    columns: [
      ['Namespace', '9rem', (e) => e.namespace],
      ['Last seen', '6rem', (e, now) => age(e.last, now)],
      ['Type', '6rem', (e) => e.type],
      ['Reason', '9rem', (e) => e.reason],
      ['Object', 'minmax(10rem, 1fr)', (e) => e.object],
      ['Message', 'minmax(14rem, 3fr)', (e) => e.message],
    ],
    // Newest first, as `kubectl events` ends with the newest.
    compare: (a, b) => b.last - a.last || compareText(a.name, b.name),
  },
};

function eventItem(event) {
  return {
    namespace: event.metadata.namespace,
    name: event.metadata.name,
    last: time(event.lastTimestamp || event.eventTime || event.metadata.creationTimestamp),
    type: event.type || '',
    reason: event.reason || '',
    object: `${(event.involvedObject?.kind || '').toLowerCase()}/${event.involvedObject?.name || ''}`,
    message: event.message || '',
    from: event.source?.component || event.reportingComponent || '',
    count: event.count || 1,
  };
}

const compareText = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// ---- The virtual grid ------------------------------------------------------------------------------------------

/** A grid that renders only the rows in view (plus a few), so 100,000 rows cost what 40 do. */
class Grid {
  constructor(element, onOpen) {
    this.element = element;
    this.head = element.querySelector('.grid-head');
    this.spacer = element.querySelector('.grid-spacer');
    this.rowsElement = element.querySelector('.grid-rows');
    this.onOpen = onOpen;
    this.keys = [];
    this.items = new Map();
    this.active = -1;
    this.pending = false;
    element.addEventListener('scroll', () => this.schedule());
    element.addEventListener('keydown', (event) => this.key(event));
    element.addEventListener('click', (event) => {
      const row = event.target.closest('.grid-row');
      if (row) {
        this.active = Number(row.dataset.index);
        this.onOpen(this.keys[this.active]);
      }
    });
    new ResizeObserver(() => this.schedule()).observe(element);
  }

  setColumns(columns) {
    this.columns = columns;
    this.element.style.setProperty('--columns', columns.map((c) => c[1]).join(' '));
    this.head.replaceChildren(...columns.map(([title]) => cell(title, 'columnheader')));
    this.rowsElement.replaceChildren();
    this.active = -1;
    this.element.scrollTop = 0;
  }

  setRows(keys, items) {
    this.keys = keys;
    this.items = items;
    this.active = Math.min(this.active, keys.length - 1);
    this.element.setAttribute('aria-rowcount', String(keys.length + 1));
    this.spacer.style.height = `${keys.length * ROW_HEIGHT}px`;
    this.schedule();
  }

  schedule() {
    if (!this.pending) {
      this.pending = true;
      requestAnimationFrame(() => { this.pending = false; this.render(); });
    }
  }

  render() {
    const headHeight = this.head.offsetHeight;
    const first = Math.max(0, Math.floor((this.element.scrollTop) / ROW_HEIGHT) - 5);
    const count = Math.ceil((this.element.clientHeight - headHeight) / ROW_HEIGHT) + 10;
    const last = Math.min(this.keys.length, first + count);
    this.rowsElement.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    const rows = this.rowsElement.children;
    const now = Date.now();
    let n = 0;
    for (let index = first; index < last; index++, n++) {
      const item = this.items.get(this.keys[index]);
      if (!item) {
        n--; // gone since the rows were sorted: the next sort drops it
        continue;
      }
      const row = rows[n] || this.rowsElement.appendChild(this.newRow());
      row.dataset.index = String(index);
      row.id = `row-${index}`;
      row.setAttribute('aria-rowindex', String(index + 2));
      row.setAttribute('aria-selected', String(index === this.active));
      row.dataset.key = this.keys[index];
      for (let c = 0; c < this.columns.length; c++) {
        const [, , text, className] = this.columns[c];
        const value = text(item, now);
        const target = row.children[c];
        if (target.textContent !== value) {
          target.textContent = value;
          target.title = value;
        }
        if (className) {
          target.className = className(item);
        }
      }
    }
    while (rows.length > n) {
      rows[rows.length - 1].remove();
    }
    if (this.active >= 0) {
      this.element.setAttribute('aria-activedescendant', `row-${this.active}`);
    } else {
      this.element.removeAttribute('aria-activedescendant');
    }
  }

  newRow() {
    const row = document.createElement('div');
    row.className = 'grid-row';
    row.setAttribute('role', 'row');
    row.append(...this.columns.map(() => cell('', 'gridcell')));
    return row;
  }

  key(event) {
    const visible = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 2);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: visible, PageUp: -visible, Home: -Infinity, End: Infinity };
    if (event.key in moves && this.keys.length) {
      event.preventDefault();
      const next = this.active + moves[event.key];
      this.active = Math.max(0, Math.min(this.keys.length - 1, Number.isFinite(next) ? next : next > 0 ? this.keys.length - 1 : 0));
      // Keep the active row in view.
      const top = this.active * ROW_HEIGHT;
      const height = this.element.clientHeight - this.head.offsetHeight;
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + height) this.element.scrollTop = top + ROW_HEIGHT - height;
      this.schedule();
    } else if (event.key === 'Enter' && this.active >= 0) {
      event.preventDefault();
      this.onOpen(this.keys[this.active]);
    }
  }
}

function cell(text, role) {
  const element = document.createElement('div');
  element.setAttribute('role', role);
  element.textContent = text;
  return element;
}

// ---- The list page ---------------------------------------------------------------------------------------------

const list = {
  resource: 'pods',
  informer: null,
  grid: null,
  keys: [],
  counts: {},
  samples: [],
  membershipChanged: true,
  lastSort: 0,
  state: '',

  start(resource) {
    this.resource = resource;
    const spec = RESOURCES[resource];
    this.informer?.stop();
    this.grid.setColumns(spec.columns);
    $('#list-title').textContent = spec.title;
    $('#filter-namespace').disabled = !spec.namespaced;
    document.querySelectorAll('.pods-only').forEach((element) => { element.hidden = resource !== 'pods'; });
    this.counts = {};
    this.keys = [];
    this.membershipChanged = true;
    this.informer = new Informer({
      path: spec.path(spec.namespaced ? $('#filter-namespace').value.trim() : ''),
      selectors: { labelSelector: $('#filter-labels').value.trim() },
      toItem: spec.toItem,
      onChanges: (batch) => this.changed(batch),
      onState: (text) => {
        this.state = `${spec.title.toLowerCase()}: ${text}`;
        if (!$('#list-view').hidden) $('#sync').textContent = this.state;
      },
      onProblem: (message) => { if (!$('#list-view').hidden) showProblem(message); },
    });
  },

  changed({ reset, changes }) {
    if (reset) {
      this.counts = {};
      for (const item of this.informer.items.values()) {
        this.counts[item.phase] = (this.counts[item.phase] || 0) + 1;
      }
      this.membershipChanged = true;
    }
    for (const { old, item } of changes) {
      if (old?.phase !== item?.phase) {
        if (old) this.counts[old.phase]--;
        if (item) this.counts[item.phase] = (this.counts[item.phase] || 0) + 1;
      }
      if (!old || !item) {
        this.membershipChanged = true;
      }
    }
    this.refresh();
  },

  /** Filters and sorts again only when rows came or went (or a filter changed); otherwise redraws what is in view. */
  refresh(force = false) {
    const items = this.informer.items;
    const now = performance.now();
    if (force || (this.membershipChanged && now - this.lastSort > 250)) {
      const phase = this.resource === 'pods' ? $('#filter-phase').value : '';
      const name = $('#filter-name').value.trim();
      const compare = RESOURCES[this.resource].compare;
      const keys = [];
      for (const [key, item] of items) {
        if ((!phase || item.phase === phase) && (!name || item.name.includes(name))) {
          keys.push(key);
        }
      }
      keys.sort((a, b) => compare(items.get(a), items.get(b)));
      this.keys = keys;
      this.membershipChanged = false;
      this.lastSort = now;
    } else if (this.membershipChanged) {
      setTimeout(() => this.refresh(), 260);
    }
    this.grid.setRows(this.keys, items);
    const total = items.size;
    $('#row-count').textContent = this.keys.length === total
      ? `${total.toLocaleString()} ${RESOURCES[this.resource].title.toLowerCase()}`
      : `${this.keys.length.toLocaleString()} of ${total.toLocaleString()} ${RESOURCES[this.resource].title.toLowerCase()} match`;
    if (this.resource === 'pods') {
      this.showCounts();
    }
  },

  showCounts() {
    $('#phase-counts').replaceChildren(...PHASES.map((phase) => {
      const item = document.createElement('li');
      item.className = phase;
      item.innerHTML = '<span class="dot" aria-hidden="true"></span>';
      item.append(phase);
      const n = document.createElement('span');
      n.className = 'n';
      n.textContent = (this.counts[phase] || 0).toLocaleString();
      item.append(n);
      return item;
    }));
  },

  /** Once a second: the counts per phase, for the chart of the last five minutes. */
  sample() {
    if (this.resource !== 'pods' || !this.informer) {
      return;
    }
    this.samples.push({ at: Date.now(), counts: { ...this.counts } });
    if (this.samples.length > 300) {
      this.samples.shift();
    }
    drawChart($('#phase-chart'), this.samples);
  },
};

function drawChart(canvas, samples) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  if (samples.length === 0) {
    return;
  }
  const totals = samples.map((s) => PHASES.reduce((sum, phase) => sum + (s.counts[phase] || 0), 0));
  const max = Math.max(1, ...totals);
  const now = Date.now();
  // The time sampled so far (at least 10 s, at most the 5 minutes kept), so the chart is full from the start.
  const span = Math.min(300000, Math.max(10000, now - samples[0].at));
  const x = (at) => width - ((now - at) / span) * width;
  const y = (value) => height - 14 - (value / max) * (height - 24);
  // Stacked areas, Pending at the bottom.
  const below = samples.map(() => 0);
  for (const phase of PHASES) {
    const above = samples.map((s, i) => below[i] + (s.counts[phase] || 0));
    context.beginPath();
    samples.forEach((s, i) => (i ? context.lineTo(x(s.at), y(above[i])) : context.moveTo(x(s.at), y(above[i]))));
    for (let i = samples.length - 1; i >= 0; i--) {
      context.lineTo(x(samples[i].at), y(below[i]));
    }
    context.closePath();
    context.fillStyle = PHASE_COLORS[phase];
    context.globalAlpha = 0.75;
    context.fill();
    context.globalAlpha = 1;
    above.forEach((value, i) => { below[i] = value; });
  }
  context.fillStyle = '#59636e';
  context.font = '11px system-ui, sans-serif';
  context.fillText(`${max.toLocaleString()} pods`, 4, 11);
  context.fillText(span >= 120000 ? `${Math.round(span / 60000)} min ago` : `${Math.round(span / 1000)} s ago`, 4, height - 2);
  context.fillText('now', width - 22, height - 2);
  const last = samples[samples.length - 1].counts;
  canvas.setAttribute('aria-label', `Pods per phase over the last minutes; now ${PHASES.map((p) => `${p} ${last[p] || 0}`).join(', ')}`);
}

function showProblem(message) {
  const banner = $('#problem');
  banner.hidden = !message;
  banner.textContent = message || '';
}

// ---- A pod's page ----------------------------------------------------------------------------------------------

const podPage = {
  informers: [],
  history: [],

  open(namespace, name) {
    this.close();
    this.history = [];
    $('#pod-title').textContent = `Pod ${namespace}/${name}`;
    document.title = `${name} · PodStatus`;
    ['#pod-summary', '#pod-conditions tbody', '#pod-history tbody', '#pod-events tbody', '#pod-yaml']
      .forEach((selector) => $(selector).replaceChildren());
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
    const state = (text) => { $('#sync').textContent = `pod: ${text}`; };
    this.informers.push(new Informer({
      path: `${base}/pods`,
      selectors: { fieldSelector: `metadata.name=${name}` },
      onChanges: ({ reset, changes }) => this.podChanged(reset, changes, namespace, name),
      onState: state,
      onProblem: showProblem,
    }));
    this.informers.push(new Informer({
      path: `${base}/events`,
      selectors: { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}` },
      toItem: eventItem,
      onChanges: () => this.showEvents(),
      onState: () => {},
      onProblem: () => {},
    }));
  },

  close() {
    this.informers.forEach((informer) => informer.stop());
    this.informers = [];
  },

  podChanged(reset, changes, namespace, name) {
    const pod = this.informers[0].items.get(`${namespace}/${name}`);
    if (reset) {
      this.record(pod ? 'listed' : 'not found', pod, this.current, pod?.metadata.resourceVersion);
    }
    for (const change of changes) {
      this.record(change.type.toLowerCase(), change.item, change.old, change.object.metadata.resourceVersion);
    }
    this.current = pod;
    this.show(pod);
  },

  record(what, pod, before, resourceVersion) {
    const fields = before && pod ? changedFields(before, pod) : [];
    if (what === 'listed' && before && fields.length === 0) {
      return; // listed again with nothing new
    }
    this.history.unshift({ at: new Date(), resourceVersion: resourceVersion || '', what, fields });
    const rows = this.history.map((entry) => tableRow([
      entry.at.toLocaleTimeString([], { hour12: false }) + `.${String(entry.at.getMilliseconds()).padStart(3, '0')}`,
      entry.resourceVersion,
      entry.what,
      entry.fields.length ? entry.fields.map(([path, from, to]) => `${path}: ${from} → ${to}`).join('\n') : '',
    ]));
    $('#pod-history tbody').replaceChildren(...rows);
  },

  show(pod) {
    if (!pod) {
      $('#pod-summary').replaceChildren();
      $('#pod-yaml').textContent = '# not found';
      return;
    }
    const item = RESOURCES.pods.toItem(pod);
    const summary = [
      ['Phase', item.phase + (item.terminating ? ' (Terminating)' : '')], ['Ready', item.ready], ['Restarts', String(item.restarts)],
      ['Node', item.node || '<none>'], ['Pod IP', item.ip || '<none>'], ['Age', age(item.created)],
      ['resourceVersion', pod.metadata.resourceVersion], ['UID', pod.metadata.uid || ''],
      ['Labels', Object.entries(pod.metadata.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ') || '<none>'],
    ];
    $('#pod-summary').replaceChildren(...summary.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }));
    $('#pod-conditions tbody').replaceChildren(...(pod.status?.conditions || []).map((c) =>
      tableRow([c.type, c.status, c.lastTransitionTime || '', c.reason || '', c.message || ''])));
    $('#pod-yaml').textContent = toYaml(pod);
  },

  showEvents() {
    const events = [...this.informers[1].items.values()].sort((a, b) => b.last - a.last);
    $('#pod-events tbody').replaceChildren(...events.map((e) =>
      tableRow([age(e.last) + (e.count > 1 ? ` (×${e.count})` : ''), e.type, e.reason, e.from, e.message])));
  },
};

function tableRow(cells) {
  const row = document.createElement('tr');
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    td.style.whiteSpace = text.includes('\n') ? 'pre-line' : '';
    row.append(td);
  }
  return row;
}

/** The fields two versions differ in, as [path, before, after]; list entries named by their type or name. */
function changedFields(before, after) {
  const flat = (object) => {
    const out = new Map();
    const walk = (value, path) => {
      if (Array.isArray(value)) {
        value.forEach((entry, i) => walk(entry, `${path}[${entry?.type ?? entry?.name ?? i}]`));
      } else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          walk(inner, path ? `${path}.${key}` : key);
        }
      } else {
        out.set(path, JSON.stringify(value));
      }
    };
    walk({ metadata: { ...object.metadata, resourceVersion: undefined, managedFields: undefined }, spec: object.spec, status: object.status }, '');
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const changed = [];
  for (const [path, value] of b) {
    if (a.get(path) !== value) changed.push([path, a.get(path) ?? '∅', value]);
  }
  for (const [path, value] of a) {
    if (!b.has(path)) changed.push([path, value, '∅']);
  }
  return changed;
}

/** YAML as kubectl prints it (block style, keys in order, strings quoted only where YAML would read them otherwise). */
function toYaml(value, indent = '') {
  const scalar = (v) => {
    if (v === null || v === undefined) return 'null';
    if (typeof v !== 'string') return String(v);
    const plain = /^[A-Za-z0-9_./][A-Za-z0-9 _./:@()+=-]*$/.test(v) && !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(v)
      && !/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F]+|\.inf|\.nan)$/i.test(v) && !/:\s|\s$|:$/.test(v);
    return plain ? v : JSON.stringify(v);
  };
  const isBlock = (v) => v && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
  const inline = (v) => (Array.isArray(v) ? '[]' : v && typeof v === 'object' ? '{}' : scalar(v));
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (!isBlock(entry)) return `${indent}- ${inline(entry)}\n`;
      const inner = toYaml(entry, indent + '  ');
      return `${indent}- ${inner.slice(indent.length + 2)}`;
    }).join('');
  }
  // Keys in order, as kubectl prints them (apiVersion, kind, metadata, spec, status).
  return Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => compareText(a, b)).map(([key, v]) => {
    const name = scalar(key);
    if (!isBlock(v)) return `${indent}${name}: ${inline(v)}\n`;
    return Array.isArray(v) ? `${indent}${name}:\n${toYaml(v, indent)}` : `${indent}${name}:\n${toYaml(v, indent + '  ')}`;
  }).join('');
}

// ---- Routes and start-up ---------------------------------------------------------------------------------------

function route() {
  const [, resource = 'pods', namespace, name] = (location.hash || '#/pods').split('/').map(decodeURIComponent);
  const onPod = resource === 'pods' && namespace !== undefined && name !== undefined;
  $('#list-view').hidden = onPod;
  $('#pod-view').hidden = !onPod;
  for (const tab of document.querySelectorAll('[role=tab]')) {
    tab.setAttribute('aria-selected', String(tab.id === `tab-${RESOURCES[resource] ? resource : 'pods'}`));
  }
  showProblem(null);
  if (onPod) {
    // The list keeps following meanwhile, as an informer's cache would: back from the pod, it is there at once.
    podPage.open(namespace, name);
    $('#pod-title').focus(); // so a screen reader starts at the pod's name
  } else {
    podPage.close();
    document.title = 'PodStatus: live pods';
    const shown = RESOURCES[resource] ? resource : 'pods';
    if (list.informer && !list.informer.stopped && list.resource === shown) {
      $('#sync').textContent = list.state;
      list.refresh(true);
    } else {
      list.start(shown);
    }
  }
}

function restart() {
  if (!$('#pod-view').hidden) {
    route();
  } else {
    list.start(list.resource);
  }
}

async function discover() {
  // Tabs for the resources this server serves (and this user may read the list of).
  try {
    const core = await getJson('/api/v1');
    const names = new Set(core.resources.map((r) => r.name));
    $('#tab-nodes').hidden = !names.has('nodes');
    $('#tab-events').hidden = !names.has('events');
  } catch { /* discovery refused: pods only */ }
  try {
    const namespaces = await getJson('/api/v1/namespaces');
    $('#namespaces').replaceChildren(...namespaces.items.map((ns) => Object.assign(document.createElement('option'), { value: ns.metadata.name })));
  } catch { /* not allowed to list namespaces: no suggestions */ }
}

function debounce(action, ms) {
  let timer;
  return () => { clearTimeout(timer); timer = setTimeout(action, ms); };
}

document.addEventListener('DOMContentLoaded', () => {
  list.grid = new Grid($('#grid'), (key) => {
    if (list.resource === 'pods' && key) {
      const [namespace, name] = key.split('/');
      location.hash = `#/pods/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
    }
  });
  // The namespace and the label selector are the server's to apply (a new list and watch); phase and name are
  // applied here, to what is already held.
  const relist = debounce(() => list.start(list.resource), 400);
  $('#filter-namespace').addEventListener('input', relist);
  $('#filter-labels').addEventListener('input', relist);
  $('#filter-phase').addEventListener('change', () => list.refresh(true));
  $('#filter-name').addEventListener('input', () => list.refresh(true));
  $('#filters').addEventListener('submit', (event) => event.preventDefault());
  $('#sign-in').hidden = !auth.token;
  $('#sign-in').addEventListener('click', async () => {
    if (await auth.ask('Give the bearer token to use from now on. It is kept for this tab only.')) restart();
  });
  window.addEventListener('hashchange', route);
  setInterval(() => list.sample(), 1000);
  // Ages move on even when nothing else does.
  setInterval(() => list.grid.schedule(), 5000);
  route();
  discover();
});
