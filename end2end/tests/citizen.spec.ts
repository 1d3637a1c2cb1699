import { expect, test } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { BookingFlow } from "./fixtures/booking_flow";
import { SignInPage } from "./fixtures/sign_in_page";

// Each test signs in its own citizen (IINs from the vectors file), so runs
// at both widths never share state.
const IINS: Record<string, string[]> = {
  phone: ["850909458784", "380403409682", "020208594550", "040702507638"],
  desktop: ["990219491799", "530219361012", "420923392463", "371007487117"],
};

test("book, see it in the cabinet, reschedule, cancel", async ({ page }, info) => {
  const [iin] = IINS[info.project.name];
  const flow = new BookingFlow(page);
  await flow.pickSlot("Psc", "ID_CARD", "1", 1, 0);
  await page.screenshot({ path: `artifacts/${info.project.name}-confirm.png`, fullPage: true });
  await flow.signInFromConfirm(iin, "+77011230001");
  await flow.book();
  await expect(page.getByTestId("booked-banner")).toBeVisible();
  await expect(page.getByTestId("status")).toHaveText("Активна");
  await page.screenshot({ path: `artifacts/${info.project.name}-booked.png`, fullPage: true });
  const code = (await page.getByTestId("booking-code").textContent())!.trim();
  const firstWhen = await page.getByTestId("when").textContent();

  await page.goto("/my");
  await expect(page.getByTestId(`booking-${code}`)).toBeVisible();
  // Where notices go, masked; who is signed in, in the header.
  await expect(page.getByTestId("notice-phone")).toContainText("+7 701 *** ** 01");
  // Notices to WhatsApp instead of SMS, and back.
  await expect(page.getByTestId("notice-channel")).toHaveText("SMS");
  await page.getByTestId("whatsapp-toggle").click();
  await expect(page.getByTestId("notice-channel")).toHaveText("WhatsApp");
  await expect(page.getByTestId("whatsapp-toggle")).toHaveText("Вернуть SMS");
  await page.getByTestId("whatsapp-toggle").click();
  await expect(page.getByTestId("notice-channel")).toHaveText("SMS");
  await expect(page.getByTestId("signed-in-as")).toHaveText(iin.slice(-4).padStart(12, "•"));
  // This browser's session, listed with where it came from.
  await expect(page.getByTestId("session-current")).toContainText("это устройство");
  await page.screenshot({ path: `artifacts/${info.project.name}-cabinet.png`, fullPage: true });
  await page.getByTestId(`booking-${code}`).click();

  // Reschedule: the same booking (same code) at another time.
  await page.getByTestId("reschedule").click();
  await page.locator(".calendar a.day.open").nth(2).click();
  await page.locator(".times a").nth(1).click();
  await page.getByRole("button", { name: "Перебронировать" }).click();
  await expect(page).toHaveURL(/\/my\/\d+\?moved=1/);
  await expect(page.getByTestId("booking-code")).toHaveText(code);
  await expect(page.getByTestId("when")).not.toHaveText(firstWhen!);
  await expect(page.getByTestId("history")).toContainText("Перенесена");

  // Cancel, with confirmation.
  await page.getByTestId("cancel").click();
  await page.getByTestId("cancel-yes").click();
  await expect(page.getByTestId("status")).toHaveText("Отменена");

  // Sign out from the header: the session ends, the cabinet asks to sign in.
  await page.getByTestId("citizen-sign-out").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
  await page.goto("/my");
  await expect(page.getByRole("link", { name: "Войти" })).toBeVisible();
  await expect(page.getByTestId(`booking-${code}`)).toHaveCount(0);
});

test("rule feedback: before submitting (R3) and from the server (R4)", async ({ page }, info) => {
  const [, iin] = IINS[info.project.name];
  const flow = new BookingFlow(page);
  await flow.pickSlot("Psc", "PASSPORT", "1", 1, 2);
  await flow.signInFromConfirm(iin, "+77011230002");
  await flow.book();

  // A second documentation booking: the browser warns before submitting …
  await flow.pickSlot("Psc", "ID_CARD", "2", 2, 0);
  await expect(page.getByTestId("rule-warning")).toContainText("активная бронь");
  // … and the server refuses in the same words if submitted anyway.
  await page.getByTestId("book").click();
  await expect(page.getByTestId("server-error")).toBeVisible();

  // Online services are shown but cannot be booked (R7).
  await page.goto("/book?kind=Psc");
  const online = page.getByTestId("svc-ADDRESS_REG");
  await expect(online).toContainText("онлайн");
  await expect(online.locator("xpath=self::a")).toHaveCount(0);
});

test("vehicle re-registration: the number is checked as typed, only the seller may book", async ({ page }, info) => {
  const [, , iin] = IINS[info.project.name];
  const flow = new BookingFlow(page);
  await flow.pickSlot("AutoPsc", "VEH_REREG", "3", 1, info.project.name === "phone" ? 0 : 1);
  await flow.signInFromConfirm(iin, "+77011230003");
  const field = page.getByLabel("Транспорт (госномер или VIN)");
  await field.fill("??");
  await expect(page.getByTestId("vehicle-hint")).toContainText("не распознан");
  await field.fill("123 ABC 01");
  await expect(page.getByTestId("vehicle-hint")).toContainText("распознан");
  await page.getByTestId("book").click();
  // This citizen does not own 123ABC01: the seller must book.
  await expect(page.getByTestId("server-error")).toContainText("продавец");
});

test("language switch keeps the page and is remembered", async ({ page }) => {
  await page.goto("/book?kind=Psc");
  await expect(page.locator("h1")).toHaveText("Выберите услугу");
  await page.getByTestId("lang-kk").click();
  await expect(page.locator("h1")).toHaveText("Қызметті таңдаңыз");
  await expect(page.locator("html")).toHaveAttribute("lang", "kk");
  await page.goto("/");
  await expect(page.locator("h1")).toHaveText("ХҚО-ға кезек брондау");
  await page.getByTestId("lang-en").click();
  await expect(page.locator("h1")).toHaveText("Book a visit to a Public Service Center");
});

test("main pages have no serious accessibility violations", async ({ page }, info) => {
  for (const path of ["/", "/book?kind=Psc", "/book?kind=Psc&service=ID_CARD", "/book?kind=Psc&service=ID_CARD&center=1", "/sign-in", "/my"]) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${path}: ${v.id} ${v.nodes[0]?.target}`)).toEqual([]);
  }
  await page.goto("/");
  await page.screenshot({ path: `artifacts/${info.project.name}-home.png`, fullPage: true });
});
