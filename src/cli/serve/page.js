// allot serve: the committee room's page. Plain JavaScript, no build step, nothing loaded from
// outside. The what-ifs live here; every change asks the server for an exact solve (/api/view),
// at most one request at a time: changes made meanwhile are sent together when it answers, and
// each request carries this page's sequence number, so the server drops a superseded one.
'use strict';

const WORDS = {
  zh: {
    room: '会议室', pools: '资金池预算（元）', weights: '评分权重',
    weights_note: '改一项权重，其余按原比例缩放，权重总和不变。',
    decisions: '委员会决定', decisions_note: '点击表中的项目，可查看说明、锁定或排除。',
    reset: '撤销全部假设', downloads: '下载', get_scenario: '情景文件（allot solve 可复现）',
    get_certificate: '证书（JSON）', get_report: '委员会报告（HTML）',
    changes: '与基准方案相比的变化', other_lang: 'English', busy: '求解中…',
    solved: (ms) => `已精确求解，用时 ${ms} 毫秒`, cut_short: (ms) => `计算时限已到，显示已找到的最佳方案（用时 ${ms} 毫秒）`, lock_into: (r) => `锁定于：${r}`,
    unlock: '取消锁定', exclude: '排除该项目', include: '取消排除',
    locked: (p, r) => `${p} 锁定于 ${r}`, excluded: (p) => `${p} 已排除`,
    from_file: '（情景文件中的决定）', remove: '移除', explaining: '正在计算说明…',
    share: (x) => `占比 ${x}%`, none: '无', same: '与基准方案相同。',
    failed: '请求失败：', added: '新增资助', removed: '不再资助', moved: '改在他批', repaid: '补助变化',
    total_score: '总分', total_subsidy: '补助合计（元）', pool_line: (p) => `资金池 ${p}（元）`,
    budget: '预算', spent: '已用', full: '完整对比表', sep: '；',
  },
  en: {
    room: 'committee room', pools: 'Pool budgets (yuan)', weights: 'Criterion weights',
    weights_note: 'Changing a weight rescales the others in proportion; the total stays the same.',
    decisions: 'Committee decisions', decisions_note: 'Click a project in a table to see why, lock it in or exclude it.',
    reset: 'Undo every what-if', downloads: 'Downloads', get_scenario: 'Scenario file (allot solve reproduces it)',
    get_certificate: 'Certificate (JSON)', get_report: 'Committee report (HTML)',
    changes: 'What changed against the base portfolio', other_lang: '中文', busy: 'solving…',
    solved: (ms) => `solved exactly in ${ms} ms`, cut_short: (ms) => `time limit reached: the best portfolio found in ${ms} ms`, lock_into: (r) => `Lock into: ${r}`,
    unlock: 'Remove the lock', exclude: 'Exclude this project', include: 'Remove the exclusion',
    locked: (p, r) => `${p} locked into ${r}`, excluded: (p) => `${p} excluded`,
    from_file: '(a decision in the scenario file)', remove: 'remove', explaining: 'computing the explanation…',
    share: (x) => `share ${x}%`, none: 'none', same: 'Same as the base portfolio.',
    failed: 'The request failed: ', added: 'Now funded', removed: 'No longer funded', moved: 'Moved', repaid: 'Paid differently',
    total_score: 'Total score', total_subsidy: 'Total subsidy (yuan)', pool_line: (p) => `Pool ${p} (yuan)`,
    budget: 'budget', spent: 'spent', full: 'The full comparison', sep: '; ',
  },
};

const pageId = Math.random().toString(36).slice(2) + Date.now().toString(36);
let seq = 0;
let lang = 'en';
let scenario = null;
let last = null;
let busy = false;
let pending = false;
let selected = null;
const whatIf = { set: {}, weights: {}, lock: [], exclude: [] };

const $ = (id) => document.getElementById(id);
const w = (key, ...args) => {
  const v = WORDS[lang][key];
  return typeof v === 'function' ? v(...args) : v;
};
const grouped = (text) => {
  const [whole, part] = String(text).split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return part === undefined ? g : `${g}.${part}`;
};
const signed = (d) => (String(d).startsWith('-') ? '−' + grouped(String(d).slice(1)) : '+' + grouped(d));
const change = (c) => (c.before === c.after || c.delta === null
  ? grouped(c.after ?? c.before)
  : `${grouped(c.before)} → ${grouped(c.after)} (${signed(c.delta)})`);
const roundName = (id) => (scenario.rounds.find((r) => r.id === id) || { name: id }).name;

function body(extra) {
  const b = { lang };
  if (Object.keys(whatIf.set).length) b.set = whatIf.set;
  if (Object.keys(whatIf.weights).length) b.weights = whatIf.weights;
  if (whatIf.lock.length) b.lock = whatIf.lock;
  if (whatIf.exclude.length) b.exclude = whatIf.exclude;
  return Object.assign(b, extra || {});
}

async function post(path, payload, supersede) {
  const headers = { 'Content-Type': 'application/json' };
  if (supersede) {
    seq += 1;
    headers['X-Allot-Page'] = pageId;
    headers['X-Allot-Seq'] = String(seq);
  }
  return fetch(path, { method: 'POST', headers, body: JSON.stringify(payload) });
}

// Every change: ask again; while a request runs, remember that another is due.
function changed() {
  pending = true;
  if (!busy) pump();
}

async function pump() {
  busy = true;
  while (pending) {
    pending = false;
    showState(w('busy'), true);
    let reply;
    let answer;
    try {
      reply = await post('/api/view', body({ prices: false }), true);
      answer = await reply.json();
    } catch (e) {
      showError(w('failed') + e);
      continue;
    }
    if (reply.status === 409) continue;
    if (!reply.ok) {
      showError(answer.error);
      continue;
    }
    render(answer);
    // The portfolio is shown; the prices of inclusion (a re-solve per entry above a funding
    // line) follow unless the committee has moved on.
    if (pending) continue;
    try {
      reply = await post('/api/view', body({ prices: true }), true);
      answer = await reply.json();
    } catch (e) {
      continue;
    }
    if (!pending && reply.ok) render(answer);
  }
  busy = false;
  document.body.dataset.idle = '1';
  if (last) showState(w(last.status === 'optimal' ? 'solved' : 'cut_short', last.elapsed_ms), false);
}

function showState(text, isBusy) {
  const s = $('state');
  s.textContent = text;
  s.classList.toggle('busy', isBusy);
  if (isBusy) delete document.body.dataset.idle;
}

function showError(message) {
  const e = $('error');
  e.textContent = message;
  e.hidden = false;
  $('view').classList.add('stale');
}

function render(answer) {
  last = answer;
  $('error').hidden = true;
  const view = $('view');
  view.classList.remove('stale');
  view.innerHTML = answer.html;
  drawChanges(answer);
  markChanges(answer.diff);
  for (const row of view.querySelectorAll('section.round tbody tr')) {
    const pair = rowPair(row);
    if (!pair) continue;
    row.addEventListener('click', () => openDetail(pair.project, pair.round, row));
    if (selected && selected.project === pair.project && selected.round === pair.round) {
      row.classList.add('selected');
    }
  }
  for (const c of scenario.criteria) {
    const share = document.querySelector(`[data-share="${c.id}"]`);
    if (share) share.textContent = w('share', answer.shares[c.id]);
  }
  drawDecisions(answer);
}

// What changed against the base, in a few lines; the full table folded below them.
function drawChanges(answer) {
  const box = $('changes');
  const d = answer.diff;
  box.hidden = d.same;
  const list = box.querySelector('ul');
  list.textContent = '';
  const line = (label, text) => {
    if (!text) return;
    const li = document.createElement('li');
    const b = document.createElement('b');
    b.textContent = label + (lang === 'zh' ? '：' : ': ');
    li.append(b, text);
    list.appendChild(li);
  };
  const awards = (xs) => xs.map((a) => (lang === 'zh'
    ? `${a.project} ${a.name}（${roundName(a.round)}）`
    : `${a.project} ${a.name} (${roundName(a.round)})`)).join(w('sep'));
  line(w('added'), awards(d.added));
  line(w('removed'), awards(d.removed));
  line(w('moved'), d.moved.map((m) => `${m.project} ${m.name}: ${roundName(m.from)} → ${roundName(m.to)}`).join(w('sep')));
  line(w('repaid'), d.subsidy_changed.map((r) => `${r.project}: ${change(r.subsidy)}`).join(w('sep')));
  line(w('total_score'), change(d.total_score));
  line(w('total_subsidy'), change(d.total_subsidy));
  for (const p of d.pools) {
    if (p.budget.delta === '0' && p.spent.delta === '0') continue;
    line(w('pool_line', p.id), `${w('budget')} ${change(p.budget)}${w('sep')}${w('spent')} ${change(p.spent)}`);
  }
  box.querySelector('summary').textContent = w('full');
  box.querySelector('pre').textContent = answer.changes;
}

function rowPair(row) {
  const id = row.querySelector('td.id');
  const section = row.closest('section.round');
  if (!id || !section) return null;
  return { project: id.textContent, round: section.id.replace(/^round-/, '') };
}

function markChanges(diff) {
  const marks = new Map();
  const mark = (project, round, cls) => marks.set(`${project}\u0000${round}`, cls);
  for (const a of diff.added) mark(a.project, a.round, 'chg-in');
  for (const a of diff.removed) mark(a.project, a.round, 'chg-out');
  for (const m of diff.moved) {
    mark(m.project, m.to, 'chg-in chg-moved');
    mark(m.project, m.from, 'chg-out chg-moved');
  }
  for (const row of document.querySelectorAll('section.round tbody tr')) {
    const pair = rowPair(row);
    const cls = pair && marks.get(`${pair.project}\u0000${pair.round}`);
    if (cls) row.className += ' ' + cls;
  }
}

function drawDecisions(answer) {
  const list = $('decisions');
  list.textContent = '';
  const item = (text, remove) => {
    const li = document.createElement('li');
    const span = document.createElement('span');
    span.textContent = text;
    li.appendChild(span);
    if (remove) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'quiet';
      b.title = w('remove');
      b.textContent = '×';
      b.addEventListener('click', remove);
      li.appendChild(b);
    } else {
      span.title = w('from_file');
    }
    list.appendChild(li);
  };
  for (const l of answer.locks) {
    const key = `${l.project}:${l.round}`;
    const ours = whatIf.lock.includes(key);
    item(w('locked', l.project, roundName(l.round)), ours ? () => toggleLock(key) : null);
  }
  for (const p of answer.excluded) {
    const ours = whatIf.exclude.includes(p);
    item(w('excluded', p), ours ? () => toggleExclude(p) : null);
  }
  if (!answer.locks.length && !answer.excluded.length) {
    const li = document.createElement('li');
    li.textContent = w('none');
    list.appendChild(li);
  }
}

function toggleLock(key) {
  const at = whatIf.lock.indexOf(key);
  if (at >= 0) whatIf.lock.splice(at, 1);
  else whatIf.lock.push(key);
  changed();
  if (selected) openDetail(selected.project, selected.round);
}

function toggleExclude(project) {
  const at = whatIf.exclude.indexOf(project);
  if (at >= 0) whatIf.exclude.splice(at, 1);
  else whatIf.exclude.push(project);
  changed();
  if (selected) openDetail(selected.project, selected.round);
}

async function openDetail(project, round, row) {
  selected = { project, round };
  for (const r of document.querySelectorAll('tr.selected')) r.classList.remove('selected');
  if (row) row.classList.add('selected');
  const app = scenario.projects.find((p) => p.id === project);
  $('detail').hidden = false;
  $('detail-title').textContent = `${project} ${app ? app.name : ''}`;
  const actions = $('detail-actions');
  actions.textContent = '';
  const button = (text, onClick) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', onClick);
    actions.appendChild(b);
  };
  for (const r of app ? app.rounds : [round]) {
    const key = `${project}:${r}`;
    button(whatIf.lock.includes(key) ? w('unlock') : w('lock_into', roundName(r)), () => toggleLock(key));
  }
  button(whatIf.exclude.includes(project) ? w('include') : w('exclude'), () => toggleExclude(project));
  const text = $('detail-text');
  text.textContent = w('explaining');
  const asked = JSON.stringify(body({ project }));
  try {
    const reply = await post('/api/explain', body({ project, format: 'text' }), false);
    const answer = await reply.json();
    if (JSON.stringify(body({ project })) !== asked) return;
    text.textContent = reply.ok ? answer.text : answer.error;
  } catch (e) {
    text.textContent = w('failed') + e;
  }
}

async function download(path, fallback) {
  try {
    const reply = await post(path, body(), false);
    if (!reply.ok) {
      showError((await reply.json()).error);
      return;
    }
    const disposition = reply.headers.get('Content-Disposition') || '';
    const name = (disposition.match(/filename="([^"]+)"/) || [null, fallback])[1];
    const url = URL.createObjectURL(await reply.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    showError(w('failed') + e);
  }
}

// A slider and an exact input that move together; `commit` gets the exact text.
function control(parent, key, label, value, max, step, commit) {
  const box = document.createElement('div');
  box.className = 'control';
  box.dataset.key = key;
  const l = document.createElement('label');
  l.textContent = label;
  const row = document.createElement('div');
  row.className = 'row';
  const range = document.createElement('input');
  range.type = 'range';
  range.min = '0';
  range.max = String(max);
  range.step = String(step);
  range.value = value;
  range.setAttribute('aria-label', label);
  const exact = document.createElement('input');
  exact.type = 'number';
  exact.min = '0';
  exact.step = 'any';
  exact.value = value;
  exact.setAttribute('aria-label', label);
  range.addEventListener('input', () => {
    exact.value = range.value;
    commit(range.value, box);
  });
  exact.addEventListener('change', () => {
    if (exact.value === '' || Number(exact.value) < 0) return;
    range.value = exact.value;
    commit(exact.value, box);
  });
  row.append(range, exact);
  box.append(l, row);
  parent.appendChild(box);
  return box;
}

function niceStep(amount) {
  const n = Number(amount);
  if (!(n > 0)) return 1;
  return Math.max(1, 10 ** (Math.floor(Math.log10(n)) - 2));
}

function drawControls() {
  const pools = $('pools');
  pools.textContent = '';
  for (const p of scenario.pools) {
    const key = `pools.${p.id}.budget`;
    const now = whatIf.set[key] || p.budget;
    const box = control(pools, key, `${p.name} — ${grouped(p.budget)}`, now,
      Math.max(2 * Number(p.budget), 1), niceStep(p.budget), (v, b) => {
        if (v === p.budget) delete whatIf.set[key];
        else whatIf.set[key] = v;
        b.classList.toggle('changed', key in whatIf.set);
        changed();
      });
    box.classList.toggle('changed', key in whatIf.set);
  }
  const weights = $('weights');
  weights.textContent = '';
  const total = scenario.criteria.reduce((s, c) => s + Number(c.weight), 0) || 1;
  for (const c of scenario.criteria) {
    const now = whatIf.weights[c.id] || c.weight;
    const box = control(weights, c.id, `${c.name} (${c.id}) — ${c.weight}`, now, total, total / 100,
      (v, b) => {
        if (v === c.weight) delete whatIf.weights[c.id];
        else whatIf.weights[c.id] = v;
        b.classList.toggle('changed', c.id in whatIf.weights);
        changed();
      });
    box.classList.toggle('changed', c.id in whatIf.weights);
    const share = document.createElement('div');
    share.className = 'share';
    share.dataset.share = c.id;
    box.appendChild(share);
  }
}

function drawWords() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `${scenario.name} — allot ${w('room')}`;
  $('title').textContent = `${scenario.name} — ${w('room')}`;
  $('lang').textContent = w('other_lang');
  for (const el of document.querySelectorAll('[data-word]')) el.textContent = w(el.dataset.word);
}

async function start() {
  scenario = await (await fetch('/api/scenario')).json();
  lang = scenario.lang;
  drawWords();
  drawControls();
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    drawWords();
    drawControls();
    changed();
    if (selected) openDetail(selected.project, selected.round);
  });
  $('reset').addEventListener('click', () => {
    whatIf.set = {};
    whatIf.weights = {};
    whatIf.lock = [];
    whatIf.exclude = [];
    drawControls();
    changed();
    if (selected) openDetail(selected.project, selected.round);
  });
  $('detail-close').addEventListener('click', () => {
    $('detail').hidden = true;
    selected = null;
    for (const r of document.querySelectorAll('tr.selected')) r.classList.remove('selected');
  });
  $('get-scenario').addEventListener('click', () => download('/api/scenario-file', 'what-if.toml'));
  $('get-certificate').addEventListener('click', () => download('/api/solve', 'certificate.json'));
  $('get-report').addEventListener('click', () => download('/api/report', 'report.html'));
  changed();
}

start().catch((e) => showError(w('failed') + e));
