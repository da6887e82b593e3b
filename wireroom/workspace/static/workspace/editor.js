// The rich-text editor of the compose and translation pages: django-prose-editor's ProseMirror build, served
// from the project's static files. Its own start-up script needs an inline import map and lets the editor
// inject a <style> element, both of which the content security policy refuses; so the editor is made here,
// with `injectCSS: false` (its style sheet is linked by the page). Without JavaScript the textarea stays.
// Pasted HTML (from a word processor) is parsed into the editor's schema, so only its structure is kept; the
// server sanitizes what is posted all the same and tells the author what it removed.
import {
  Blockquote, Bold, BulletList, Document, Dropcursor, Editor, Gapcursor, HardBreak, Heading, History,
  HorizontalRule, Italic, Link, ListItem, Menu, OrderedList, Paragraph, Subscript, Superscript, Table, TableCell,
  TableHeader, TableRow, Text,
} from "../django_prose_editor/editor.js";

const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

// A word processor's clipboard is full of style attributes. Parsed anywhere in the page (even by DOMParser),
// each would be refused by the content security policy and reported as an error, so they are cut from the text
// first; then the classes, Office tags and style sheets, which carry nothing of the structure, go too.
const STYLE_ATTRIBUTE = /\sstyle\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;

function withoutPresentation(html) {
  const parsed = new DOMParser().parseFromString(html.replace(STYLE_ATTRIBUTE, ""), "text/html");
  for (const element of parsed.querySelectorAll("[class]")) element.removeAttribute("class");
  for (const element of parsed.querySelectorAll("style, meta, link, script, xml")) element.remove();
  return parsed.body.innerHTML;
}

function attach(textarea) {
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  const editor = new Editor({
    element: wrapper,
    injectCSS: false,
    content: textarea.value,
    editorProps: { transformPastedHTML: withoutPresentation },
    extensions: [
      Document, Paragraph, Text, HardBreak, History, Dropcursor, Gapcursor, Menu, Bold, Italic, Subscript,
      Superscript, Link.configure({ openOnClick: false }), Heading.configure({ levels: [2, 3, 4] }), BulletList,
      OrderedList, ListItem, Blockquote, HorizontalRule, Table, TableRow, TableHeader, TableCell,
    ],
    onUpdate({ editor: changed }) {
      const html = changed.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  // Label clicks go to the editable area, as they went to the textarea.
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label) label.addEventListener("click", () => editor.commands.focus());
  wrapper.dataset.ready = "true";
}

for (const textarea of document.querySelectorAll("textarea.rich-text")) attach(textarea);
