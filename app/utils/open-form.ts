// A page whose longer forms are drawn only when asked for names the open one in its address
// (`?form=edit-kr:<id>`), with a fragment that brings it into view. Shared by the components
// that draw the links and the actions that send the user back to a form left open.

/** The address parameter that names the one open form. */
export const OPEN_FORM_PARAM = "form";

/** The id of the element the form `key` is drawn in (the link's fragment). */
export const openFormAnchor = (key: string) => `form-${key.replace(":", "-")}`;

/** `path` with the form `key` open and scrolled to. */
export const withOpenForm = (path: string, key: string) =>
  `${path}?${new URLSearchParams({ [OPEN_FORM_PARAM]: key })}#${openFormAnchor(key)}`;
