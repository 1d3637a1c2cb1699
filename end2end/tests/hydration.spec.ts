import { expect, test } from "@playwright/test";
import { SignInPage } from "./fixtures/sign_in_page";
import { hydrated } from "./fixtures/staff_pages";

test("the page hydrates: live IIN check and a server round trip without reload", async ({ page }) => {
  // The strict CSP (nonce, no 'unsafe-inline') must not block anything.
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
  });
  const signIn = new SignInPage(page);
  await signIn.goto();

  // A marker on window survives only if the page is never reloaded.
  await page.evaluate(() => ((window as any).__kezekMarker = 42));

  // Rules run in the browser (WASM): a wrong check digit is reported while typing.
  await signIn.typeIin("710313311869");
  await expect(signIn.hint()).toContainText("контрольная цифра");
  await signIn.typeIin("710313311868");
  await expect(signIn.hint()).toContainText("верно");
  // The phone too, with the server's normalizer: a landline is refused.
  await signIn.phone().pressSequentially("+7 727 123 45 67", { delay: 5 });
  await expect(signIn.phoneHint()).toContainText("мобильный номер");
  await signIn.phone().fill("");
  await signIn.phone().pressSequentially("8 (701) 123-45-67", { delay: 5 });
  await expect(signIn.phoneHint()).toContainText("верно");

  // The server function writes a challenge and an SMS to the database.
  const code = await signIn.requestCode("710313311868", "+7 701 123 45 67");

  // Verifying reads the challenge back, opens a session and goes to the
  // cabinet by client-side navigation (the marker survives).
  await signIn.enterCode(code);
  expect(blocked).toEqual([]);
  await expect(page).toHaveURL(/\/my$/);
  await expect(page.getByRole("heading", { name: "Мои брони" })).toBeVisible();
  await expect(page.getByText("У вас пока нет броней.")).toBeVisible();
  expect(await page.evaluate(() => (window as any).__kezekMarker)).toBe(42);
});

test("a wrong code is refused with a message", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  const code = await signIn.requestCode("980212383137", "87021234567");
  const wrong = code === "000000" ? "111111" : "000000";
  await signIn.enterCode(wrong);
  await expect(page.getByRole("alert")).toContainText("Неверный код");
});

test("citizen and staff pages load their own client; moving between them loads the other", async ({ page }) => {
  // Issue 16: the citizen's WebAssembly carries no staff or administration
  // pages, and the other way round; the server sends the one that has the page.
  const wasm: string[] = [];
  page.on("request", (r) => {
    const m = /\/pkg\/(kezek|staff\/kezek-staff)\.wasm$/.exec(new URL(r.url()).pathname);
    if (m) wasm.push(m[1]);
  });
  await page.goto("/fairness");
  await hydrated(page);
  expect(wasm).toEqual(["kezek"]);

  await page.goto("/staff/sign-in");
  await hydrated(page);
  expect(wasm).toEqual(["kezek", "staff/kezek-staff"]);
  await expect(page.getByLabel("Логин")).toBeVisible();

  // The staff client has no citizen pages: following "Kezek" (the home page)
  // loads that page from the server, with the citizen client, and it works.
  await page.evaluate(() => ((window as any).__kezekMarker = 1));
  const citizenClient = page.waitForRequest((r) => r.url().endsWith("/pkg/kezek.wasm"));
  await page.locator("a.brand").click();
  await citizenClient;
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  expect(await page.evaluate(() => (window as any).__kezekMarker)).toBeUndefined();
  expect(wasm).toEqual(["kezek", "staff/kezek-staff", "kezek"]);
  // Client-side navigation inside the citizen client keeps working.
  await page.evaluate(() => ((window as any).__kezekMarker = 2));
  await page.getByTestId("fairness-link").click();
  await expect(page).toHaveURL(/\/fairness$/);
  // The page's own heading: the navigation (which loads the page's module
  // first) is over before Back is pressed.
  await expect(page.getByRole("heading", { level: 1, name: "Честность доступа" })).toBeVisible();
  expect(await page.evaluate(() => (window as any).__kezekMarker)).toBe(2);
  // Back goes to the staff sign-in page, not to the stop in between. The
  // browser's own Back, and the URL polled: the second one enters another
  // document, which Chromium may restore from the back-forward cache with no
  // navigation event for page.goBack to wait on (it timed out so, twice).
  const back = () => page.evaluate(() => void setTimeout(() => history.back(), 0));
  // The history holds each page once, in order: the staff sign-in page was
  // not replaced by the home page that left its client (it was, now and
  // then, when the home page's reload started before the router had
  // written the home page's entry; Back then skipped the staff page).
  const paths = () =>
    page.evaluate(() => (window as any).navigation.entries().map((e: any) => new URL(e.url).pathname) as string[]);
  expect(await paths()).toEqual(["/fairness", "/staff/sign-in", "/", "/fairness"]);
  await back();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Бронирование очереди в ЦОН" })).toBeVisible();
  await back();
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
  await expect(page.getByLabel("Логин")).toBeVisible();
});

test("a page preloads its own module of the client; another page's module loads when that page opens", async ({ page, request }) => {
  // Issue 16: the client is split per page (lazy routes); the server names
  // the shown page's modules as preloads beside the main module.
  const wasmPreloads = async (path: string) => {
    const html = await (await request.get(path)).text();
    return [...html.matchAll(/<link[^>]*rel="preload"[^>]*>/g)]
      .map((m) => /href="([^"]+)"/.exec(m[0])?.[1] ?? "")
      .filter((href) => href.endsWith(".wasm"));
  };
  const fairness = await wasmPreloads("/fairness");
  expect(fairness).toContain("/pkg/kezek.wasm");
  expect(fairness.filter((p) => /^\/pkg\/split___fairness_page_view_\d+\.wasm$/.test(p))).toHaveLength(1);
  expect(fairness.filter((p) => /split___home_view_/.test(p))).toEqual([]);
  // The booking page is in the main module: nothing else to load.
  expect(await wasmPreloads("/book")).toEqual(["/pkg/kezek.wasm"]);
  // A staff page: its own bundle's main module and page module.
  const staffSignIn = await wasmPreloads("/staff/sign-in");
  expect(staffSignIn).toContain("/pkg/staff/kezek-staff.wasm");
  expect(staffSignIn.filter((p) => /^\/pkg\/staff\/split___staff_sign_in_page_view_\d+\.wasm$/.test(p))).toHaveLength(1);
  expect(staffSignIn.filter((p) => !p.startsWith("/pkg/staff/"))).toEqual([]);

  const pages: string[] = [];
  page.on("request", (r) => {
    const m = /\/pkg\/split_+([a-z_]+?)_view_\d+\.wasm$/.exec(new URL(r.url()).pathname);
    if (m) pages.push(m[1]);
  });
  await page.goto("/fairness");
  await hydrated(page);
  expect(pages).toEqual(["fairness_page"]);

  // Client-side navigation to the home page fetches its module then.
  await page.evaluate(() => ((window as any).__kezekMarker = 3));
  await page.locator("a.brand").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1, name: "Бронирование очереди в ЦОН" })).toBeVisible();
  expect(pages).toEqual(["fairness_page", "home"]);
  expect(await page.evaluate(() => (window as any).__kezekMarker)).toBe(3);
});
