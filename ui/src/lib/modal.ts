/**
 * A Svelte action that keeps a `<dialog>` open as a modal exactly while `open` is true: the
 * state decides, the element follows (modal, so the window behind it is inert). Escape still
 * closes it natively, and the dialog's close event reports that back to the state.
 */
export function modal(dialog: HTMLDialogElement, open: boolean) {
  const follow = (wanted: boolean): void => {
    if (wanted && !dialog.open) dialog.showModal();
    else if (!wanted && dialog.open) dialog.close();
  };
  follow(open);
  return { update: follow };
}
