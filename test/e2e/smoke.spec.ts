import { test, expect } from '@playwright/test';

test('the playground page loads without console errors', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('virtfs-lab');
  expect(errors).toEqual([]);
});
