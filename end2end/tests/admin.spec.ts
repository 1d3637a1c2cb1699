import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { Console, citizenToken } from "./fixtures/staff_pages";

// Center administration at Almaly (the operator journeys use Yesil). The
// dev clock of scripts/e2e.sh stands at Wed 2026-12-02 09:30, so Thursday
// and Friday are bookable; each project edits its own weekday.
const DAYS: Record<string, { weekday: number; date: string; iin: string; phone: string }> = {
  phone: { weekday: 3, date: "2026-12-03", iin: "010310623635", phone: "+77011239101" },
  desktop: { weekday: 4, date: "2026-12-04", iin: "610713413200", phone: "+77011239102" },
};
const PASSWORD = "kezek-demo";

async function noSeriousViolations(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${path}: ${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
}

test("center admin shortens a day: the booking left outside is listed, then moved, and the citizen sees it", async ({ page, request }, info) => {
  const day = DAYS[info.project.name];
  const centers = await (await request.get("/api/v1/centers?kind=Psc&city=Almaty")).json();
  const center = centers.find((c: { name: string }) => /Алмалы|Almaly|Алмалы/.test(c.name)) ?? centers[0];
  const token = await citizenToken(request, day.iin, day.phone);
  const made = await request.post("/api/v1/bookings", {
    headers: { authorization: `Bearer ${token}` },
    data: { center_id: center.id, service: "ID_CARD", start: `${day.date}T17:00:00+05:00` },
  });
  expect(made.status(), await made.text()).toBe(201);
  const booking = await made.json();

  // The center's admin signs in and sets the day's closing time to 16:00.
  const desk = new Console(page);
  await desk.signIn("alm-psc-almaly-admin", PASSWORD, /\/staff\/center$/);
  await page.goto("/staff/center");
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  const row = page.getByTestId(`hours-${day.weekday}`);
  // Time fields are 24-hour text fields in every language.
  const closes = row.locator("input[inputmode=numeric]").nth(1);
  await closes.fill("16:00");
  await expect(closes).toHaveValue("16:00");
  await page.getByTestId(`save-hours-${day.weekday}`).click();

  // Not saved yet: the affected booking is listed and a decision is needed.
  const dialog = page.getByTestId("change-affects");
  await expect(dialog).toContainText(booking.code);
  await page.screenshot({ path: `artifacts/${info.project.name}-schedule-decision.png`, fullPage: true });
  await page.getByTestId("change-reason").fill("Санитарный день");
  await page.getByTestId("change-move").click();
  await expect(page.getByTestId("change-saved")).toContainText("Перенесено: 1");
  await expect(dialog).toHaveCount(0);
  await expect(row.locator("input[inputmode=numeric]").nth(1)).toHaveValue("16:00");

  // The citizen's booking: same code, still active, no longer at 17:00.
  const after = await (await request.get(`/api/v1/bookings/${booking.id}`, { headers: { authorization: `Bearer ${token}` } })).json();
  expect(after.code).toBe(booking.code);
  expect(after.status).toBe("Booked");
  expect(after.start).not.toBe(booking.start);
});

test("the administrator creates an operator account that can sign in; staff pages pass axe", async ({ browser, page }, info) => {
  // Password hashing (argon2id) in the dev build and four axe scans take time.
  test.setTimeout(90_000);
  const admin = new Console(page);
  await admin.signIn("admin", "e2e-admin-pw", /\/staff\/admin$/);
  await page.goto("/staff/admin?tab=staff");
  await page.locator("body[data-hydrated=true]").waitFor({ state: "attached" });
  const user = `almaly-op3-${info.project.name}`;
  const form = page.getByTestId("create-staff");
  await form.getByLabel("Логин").fill(user);
  await form.getByLabel("Имя").fill("Айгерим С.");
  await form.locator("#s-center").selectOption({ index: 4 });
  await form.getByLabel("Окно").fill("3");
  await form.locator("#s-pass").fill("op3-password-1");
  await form.getByRole("button", { name: "Добавить сотрудника" }).click();
  await expect(form.getByTestId("admin-ok")).toBeVisible();
  await expect(page.getByTestId("staff")).toContainText(user);
  await page.screenshot({ path: `artifacts/${info.project.name}-admin-staff.png`, fullPage: true });

  const ctx = await browser.newContext({ locale: "ru-RU" });
  const op = new Console(await ctx.newPage());
  await op.signIn(user, "op3-password-1");
  await expect(op.page.getByTestId("staff-name")).toContainText("Айгерим С.");
  await ctx.close();

  // The schedule change of the test above (either width), with its
  // relocation's progress.
  await page.goto("/staff/admin?tab=outbox");
  const change = page.getByTestId("relocation").filter({ hasText: "Санитарный день" }).first();
  await expect(change.getByTestId("relocation-progress")).toContainText(/Обработано: (\d+) \/ \1 /);
  await expect(change.getByTestId("relocation-progress")).toContainText(/Перенесено: [1-9]/);

  for (const path of ["/staff/admin?tab=outbox", "/staff/admin?tab=centers", "/staff/admin?tab=policy", "/staff/center?center=1", "/staff/reports?center=1&from=2026-12-01&to=2026-12-07"]) {
    await noSeriousViolations(page, path);
  }

  // Staff pages carry no citizen navigation; the reports page opens on the
  // last 30 days (the dev clock's today is 2026-12-02).
  await page.goto("/staff/reports?center=1");
  await expect(page.locator("nav[aria-label=main]")).toHaveCount(0);
  await expect(page.getByTestId("report-table")).toBeVisible();
  await expect(page.locator("input[name=from]")).toHaveValue("2026-11-03");
  await expect(page.locator("input[name=to]")).toHaveValue("2026-12-02");
});
