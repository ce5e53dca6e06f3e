// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/i18n.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

afterEach(cleanup);

/** A page with a control before the opener, so focus leaving the dialog would be visible. */
function Page({ onConfirm }: { onConfirm(): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button">Elsewhere</button>
      <button type="button" onClick={() => setOpen(true)}>
        Delete
      </button>
      {open ? (
        <ConfirmDialog title="Delete it?" danger onConfirm={onConfirm} onCancel={() => setOpen(false)}>
          <p>It cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function renderPage(onConfirm = vi.fn()) {
  render(
    <I18nextProvider i18n={createI18n('en')}>
      <Page onConfirm={onConfirm} />
    </I18nextProvider>,
  );
  return onConfirm;
}

describe('confirm dialog', () => {
  it('is a named modal dialog with focus on Cancel, and Tab stays inside it', async () => {
    renderPage();
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete it?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));

    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm' }));
    await userEvent.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.tab({ shift: true });
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm' }));
  });

  it('closes on Escape without confirming and gives focus back to the button that opened it', async () => {
    const onConfirm = renderPage();
    const opener = screen.getByRole('button', { name: 'Delete' });
    await userEvent.click(opener);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(opener);
  });

  it('confirms from the keyboard alone', async () => {
    const onConfirm = renderPage();
    screen.getByRole('button', { name: 'Delete' }).focus();
    await userEvent.keyboard('{Enter}');
    await userEvent.tab();
    await userEvent.keyboard('{Enter}');
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
