import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { SignInPage } from "./fixtures/sign_in_page";

// DOMAIN.md R12 (draws) and R13 (waiting list) as a citizen meets them.
// The server's clock starts at 2026-12-02 09:30 (scripts/e2e.sh); each
// project uses its own center and dates, so both widths run independently.

/** A valid IIN for test person `n` (the checksum computed, as in R10). */
function iin(n: number): string {
  for (let serial = 0; serial < 10000; serial++) {
    const base = `8801013${String((n * 7 + serial) % 10000).padStart(4, "0")}`;
    const d = [...base].map(Number);
    let s = d.reduce((a, x, i) => a + (i + 1) * x, 0) % 11;
    if (s === 10) s = d.reduce((a, x, i) => a + (((i + 2) % 11) + 1) * x, 0) % 11;
    if (s !== 10) return base + s;
  }
  throw new Error("no IIN");
}

async function token(request: APIRequestContext, who: string, phone: string): Promise<string> {
  const otp = await request.post("/api/v1/auth/otp", { data: { iin: who, phone } });
  expect(otp.status()).toBe(202);
  const { challenge_id } = await otp.json();
  const sent = await (await request.get(`/api/v1/dev/outbox?to=${encodeURIComponent(phone)}`)).json();
  const code = (sent[0].body as string).match(/\d{6}/)![0];
  const v = await request.post("/api/v1/auth/verify", { data: { challenge_id, code } });
  expect(v.status()).toBe(200);
  return (await v.json()).token;
}

async function signIn(page: Page, who: string, phone: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  const s = new SignInPage(page);
  const code = await s.requestCode(who, phone);
  await s.enterCode(code);
  await expect(page).toHaveURL(new RegExp(next.replace(/[?]/g, "\\?")));
}

async function noSeriousViolations(page: Page) {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${page.url()}: ${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
}

const PLAN: Record<string, { drawCenter: string; drawDate: string; waitCenter: string; waitDate: string; base: number }> = {
  phone: { drawCenter: "5", drawDate: "2026-12-10", waitCenter: "4", waitDate: "2026-12-09", base: 100 },
  desktop: { drawCenter: "5", drawDate: "2026-12-11", waitCenter: "4", waitDate: "2026-12-08", base: 200 },
};

// Opened when this file starts (one per project), so the other tests of
// the file run while its one minute passes.
let outcome: { drawId: string; who: string; phone: string; date: string } | undefined;

test.beforeAll(async ({ playwright }, info) => {
  const request = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
  const date = info.project.name === "phone" ? "2026-12-21" : "2026-12-22";
  const login = await request.post("/api/v1/staff/login", { data: { username: "admin", password: "e2e-admin-pw" } });
  const admin = (await login.json()).token;
  // A one-minute draw (the shortest R12 allows); the server's draw job
  // runs it within five seconds of the close.
  const opened = await request.post("/api/v1/admin/draws", {
    headers: { authorization: `Bearer ${admin}` },
    data: { center_ids: ["5"], dates: [date], window_minutes: 1 },
  });
  expect(opened.status()).toBe(201);
  const draw = await opened.json();
  const n = (info.project.name === "phone" ? 100 : 200) + 3;
  const who = iin(n);
  const phone = `+7701${String(n).padStart(7, "0")}`;
  const t = await token(request, who, phone);
  const sent = await request.post("/api/v1/draw-requests", {
    headers: { authorization: `Bearer ${t}` },
    data: { draw_id: draw.id, service: "ID_CARD", choices: [{ center_id: "5", date, time_from: "10:00", time_to: "12:00" }] },
  });
  expect(sent.status()).toBe(201);
  outcome = { drawId: draw.id, who, phone, date };
  await request.dispose();
});

test("a day under a draw: request a time, follow it in the cabinet and the public record", async ({ page, request }, info) => {
  const plan = PLAN[info.project.name];
  const login = await request.post("/api/v1/staff/login", { data: { username: "admin", password: "e2e-admin-pw" } });
  const admin = (await login.json()).token;
  const opened = await request.post("/api/v1/admin/draws", {
    headers: { authorization: `Bearer ${admin}` },
    data: { center_ids: [plan.drawCenter], dates: [plan.drawDate], window_minutes: 30 },
  });
  expect(opened.status()).toBe(201);
  const draw = await opened.json();

  const who = iin(plan.base + 1);
  const flowUrl = `/book?kind=Psc&service=ID_CARD&center=${plan.drawCenter}`;
  await signIn(page, who, `+7701${String(plan.base + 1).padStart(7, "0")}`, flowUrl);
  // The calendar marks the day; it leads to the request form, not to times.
  const day = page.getByTestId(`day-${plan.drawDate}`);
  await expect(day).toHaveClass(/draw/);
  await day.click();
  await expect(page.getByTestId("draw-form")).toContainText("розыгрышем");
  await noSeriousViolations(page);
  await page.screenshot({ path: `artifacts/${info.project.name}-draw-form.png`, fullPage: true });
  await page.locator("input[name=from1]").fill("10:00");
  await page.locator("input[name=to1]").fill("12:00");
  await page.getByTestId("request-time").click();
  await expect(page).toHaveURL(/\/my\?requested=1/);
  const req = page.getByTestId("draw-request");
  await expect(req.getByTestId("status")).toHaveText("Ждёт розыгрыша");
  await expect(req).toContainText("10:00–12:00");
  await page.screenshot({ path: `artifacts/${info.project.name}-cabinet-draw.png`, fullPage: true });

  // The public record: commitment now, seed after the run; no personal data.
  await req.getByRole("link", { name: "Открытый протокол розыгрыша" }).click();
  await expect(page).toHaveURL(new RegExp(`/draws/${draw.id}$`));
  await expect(page.getByTestId("commitment")).toHaveText(draw.commitment);
  await expect(page.getByTestId("draw-status")).toHaveText("Идёт приём заявок");
  await expect(page.getByTestId("draw-order").locator("li")).toHaveCount(1);
  expect(await page.content()).not.toContain(who);
  await noSeriousViolations(page);
  await page.screenshot({ path: `artifacts/${info.project.name}-draw-record.png`, fullPage: true });

  // Withdrawn from the cabinet while the draw is open.
  await page.goto("/my");
  await page.getByTestId("withdraw").click();
  await expect(page.getByTestId("draw-request").getByTestId("status")).toHaveText("Отозвана");
});

test("a full time: join the waiting list, get the place when one frees", async ({ page, request }, info) => {
  const plan = PLAN[info.project.name];
  const start = `${plan.waitDate}T10:00:00+05:00`;
  const avail = await (
    await request.get(`/api/v1/availability?center_id=${plan.waitCenter}&service=ID_CARD&from=${plan.waitDate}&to=${plan.waitDate}`)
  ).json();
  const places = avail.find((s: { start: string }) => s.start === start).free as number;
  const holders: { token: string; id: string }[] = [];
  for (let i = 0; i < places; i++) {
    const t = await token(request, iin(plan.base + 10 + i), `+7702${String(plan.base + 10 + i).padStart(7, "0")}`);
    const b = await request.post("/api/v1/bookings", {
      headers: { authorization: `Bearer ${t}` },
      data: { center_id: plan.waitCenter, service: "ID_CARD", start },
    });
    expect(b.status()).toBe(201);
    holders.push({ token: t, id: (await b.json()).id });
  }

  const flowUrl = `/book?kind=Psc&service=ID_CARD&center=${plan.waitCenter}`;
  await signIn(page, iin(plan.base + 2), `+7701${String(plan.base + 2).padStart(7, "0")}`, flowUrl);
  const form = page.getByTestId("wait-form");
  await form.locator("summary").click();
  await form.locator("input[name=from]").fill(plan.waitDate);
  await form.locator("input[name=to]").fill(plan.waitDate);
  await form.locator("input[name=time_from]").fill("10:00");
  await form.locator("input[name=time_to]").fill("10:00");
  await page.getByTestId("join-waitlist").click();
  await expect(page).toHaveURL(/\/my\?waiting=1/);
  const entry = page.getByTestId("wait-entry");
  await expect(entry.getByTestId("status")).toHaveText("Ожидает");
  await page.screenshot({ path: `artifacts/${info.project.name}-cabinet-waiting.png`, fullPage: true });

  // A holder cancels: the place goes to the list in the same transaction.
  const c = await request.post(`/api/v1/bookings/${holders[0].id}/cancel`, {
    headers: { authorization: `Bearer ${holders[0].token}` },
  });
  expect(c.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("wait-entry").getByTestId("status")).toHaveText("Время найдено");
  await expect(page.locator(".bookings li")).toHaveCount(1);
  await noSeriousViolations(page);
});

test("the administrator opens a draw from the administration page", async ({ page }, info) => {
  const date = info.project.name === "phone" ? "2026-12-15" : "2026-12-16";
  await page.goto("/staff/sign-in");
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  await page.getByLabel("Логин").fill("admin");
  await page.getByLabel("Пароль").fill("e2e-admin-pw");
  await page.getByTestId("staff-sign-in").click();
  await expect(page).toHaveURL(/\/staff\/admin$/);
  await page.goto("/staff/admin?tab=draws");
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  const form = page.getByTestId("open-draw");
  await form.locator("select[name=center_id]").selectOption({ index: 5 });
  await form.locator("input[name=dates]").fill(date);
  await form.getByRole("button", { name: "Открыть розыгрыш" }).click();
  const ok = page.getByTestId("admin-ok");
  await expect(ok).toBeVisible();
  await expect(page.getByTestId("recent-draws")).toContainText(date);
  await noSeriousViolations(page);
  await page.screenshot({ path: `artifacts/${info.project.name}-admin-draws.png`, fullPage: true });
  // The same center and date again: refused with the reason.
  await form.getByRole("button", { name: "Открыть розыгрыш" }).click();
  await expect(page.getByTestId("admin-error")).toContainText("уже назначен");
});

test("the public fairness page: charts, tables per region and center, downloads", async ({ page, request }, info) => {
  await page.goto("/");
  await page.getByTestId("fairness-link").click();
  await expect(page).toHaveURL(/\/fairness$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Честность доступа");
  await expect(page.getByTestId("fair-period")).toContainText("2026-11-03 — 2026-12-02");
  await expect(page.getByTestId("fair-days-chart")).toBeVisible();
  await expect(page.getByTestId("fair-share-chart")).toBeVisible();
  expect(await page.getByTestId("fair-regions").locator("tbody tr").count()).toBeGreaterThan(0);
  expect(await page.getByTestId("fair-centers").locator("tbody tr").count()).toBeGreaterThan(1);
  await noSeriousViolations(page);
  await page.screenshot({ path: `artifacts/${info.project.name}-fairness.png`, fullPage: true });
  // The same figures as CSV and JSON, without signing in.
  const csv = await request.get("/fairness.csv");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toContain("days_median");
  const json = await (await request.get("/api/v1/fairness")).json();
  expect(json.centers.length).toBeGreaterThan(1);
});

test("a draw runs at its close: the outcome reaches the cabinet and the public record", async ({ page }, info) => {
  test.setTimeout(180_000);
  const o = outcome!;
  await signIn(page, o.who, o.phone, "/my");
  // The outcome: a time in the cabinet, as an ordinary booking.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("draw-request").getByTestId("status")).toHaveText("Время выделено", { timeout: 1000 });
  }).toPass({ timeout: 120_000, intervals: [3_000] });
  await expect(page.locator(".bookings li")).toHaveCount(1);
  await noSeriousViolations(page);
  await page.screenshot({ path: `artifacts/${info.project.name}-draw-outcome.png`, fullPage: true });
  // The public record now shows the seed and the order.
  await page.goto(`/draws/${o.drawId}`);
  await expect(page.getByTestId("draw-status")).toHaveText("Розыгрыш проведён");
  await expect(page.getByTestId("seed")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId("draw-order").locator("li")).toHaveCount(1);
});
