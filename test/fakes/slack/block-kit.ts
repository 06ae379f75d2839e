/**
 * Block Kit checks for messages, with Slack's documented limits. Each problem reads as Slack words it:
 * `<reason> [json-pointer:/blocks/0/text/text]`.
 */

/** Slack's documented limits for message blocks. */
export const blockLimits = {
  blocks: 50,
  blockId: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  imageAltText: 2000,
  markdownText: 12_000,
};

/** Block types Slack accepts in messages; the fake checks the common ones in depth. */
const blockTypes = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "video",
]);

/** Interactive elements allowed in `actions` blocks and section accessories. */
const elementTypes = new Set([
  "button",
  "checkboxes",
  "datepicker",
  "datetimepicker",
  "image",
  "overflow",
  "radio_buttons",
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
  "timepicker",
  "workflow_button",
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Collects problems while walking a message's blocks. */
class Checker {
  readonly errors: string[] = [];

  fail(reason: string, pointer: string): void {
    this.errors.push(`${reason} [json-pointer:${pointer}]`);
  }

  /** A string no longer than `max`; `required` also refuses absent and empty ones. */
  string(value: unknown, max: number, pointer: string, required = true): void {
    if (value === undefined && !required) return;
    if (typeof value !== "string") {
      this.fail("must be a string", pointer);
      return;
    }
    if (required && value.length === 0) {
      this.fail("must be more than 0 characters", pointer);
      return;
    }
    if (value.length > max) this.fail(`must be less than ${max + 1} characters`, pointer);
  }

  /** A text object `{type, text}` whose type is one of `types`. */
  text(value: unknown, max: number, pointer: string, types = ["plain_text", "mrkdwn"]): void {
    if (!isObject(value)) {
      this.fail("must be a text object", pointer);
      return;
    }
    if (!types.includes(String(value.type))) this.fail("must be a valid enum value", `${pointer}/type`);
    this.string(value.text, max, `${pointer}/text`);
  }

  /** An array of at most `max` items (and at least one). */
  list(value: unknown, max: number, pointer: string): unknown[] {
    if (!Array.isArray(value)) {
      this.fail("must be an array", pointer);
      return [];
    }
    if (value.length === 0) this.fail("must provide at least 1 item", pointer);
    if (value.length > max) this.fail(`no more than ${max} items allowed`, pointer);
    return value;
  }

  element(value: unknown, pointer: string): void {
    if (!isObject(value)) {
      this.fail("must be an object", pointer);
      return;
    }
    if (!elementTypes.has(String(value.type))) {
      this.fail(`unsupported type: ${value.type}`, `${pointer}/type`);
      return;
    }
    if (value.type !== "button") return;
    this.text(value.text, blockLimits.buttonText, `${pointer}/text`, ["plain_text"]);
    this.string(value.action_id, blockLimits.actionId, `${pointer}/action_id`, false);
    this.string(value.value, blockLimits.buttonValue, `${pointer}/value`, false);
    this.string(value.url, blockLimits.buttonUrl, `${pointer}/url`, false);
    if (value.style !== undefined && value.style !== "primary" && value.style !== "danger")
      this.fail("must be a valid enum value", `${pointer}/style`);
  }

  block(block: unknown, pointer: string): void {
    if (!isObject(block)) {
      this.fail("must be an object", pointer);
      return;
    }
    if (typeof block.type !== "string") {
      this.fail("missing required field: type", pointer);
      return;
    }
    if (!blockTypes.has(block.type)) {
      this.fail(`unsupported type: ${block.type}`, `${pointer}/type`);
      return;
    }
    this.string(block.block_id, blockLimits.blockId, `${pointer}/block_id`, false);
    switch (block.type) {
      case "section":
        if (block.text === undefined && block.fields === undefined) {
          this.fail("must define either `text` or `fields`", `${pointer}/type`);
          return;
        }
        if (block.text !== undefined) this.text(block.text, blockLimits.sectionText, `${pointer}/text`);
        if (block.fields !== undefined)
          this.list(block.fields, blockLimits.sectionFields, `${pointer}/fields`).forEach((f, i) => {
            this.text(f, blockLimits.sectionFieldText, `${pointer}/fields/${i}`);
          });
        if (block.accessory !== undefined) this.element(block.accessory, `${pointer}/accessory`);
        return;
      case "header":
        this.text(block.text, blockLimits.headerText, `${pointer}/text`, ["plain_text"]);
        return;
      case "actions":
        this.list(block.elements, blockLimits.actionsElements, `${pointer}/elements`).forEach((e, i) => {
          this.element(e, `${pointer}/elements/${i}`);
        });
        return;
      case "context":
        this.list(block.elements, blockLimits.contextElements, `${pointer}/elements`).forEach((e, i) => {
          const at = `${pointer}/elements/${i}`;
          if (isObject(e) && e.type === "image")
            this.string(e.alt_text, blockLimits.imageAltText, `${at}/alt_text`);
          else this.text(e, blockLimits.sectionText, at);
        });
        return;
      case "image":
        if (block.image_url === undefined && block.slack_file === undefined)
          this.fail("must define either `image_url` or `slack_file`", pointer);
        this.string(block.alt_text, blockLimits.imageAltText, `${pointer}/alt_text`);
        return;
      case "markdown":
        this.string(block.text, blockLimits.markdownText, `${pointer}/text`);
        return;
    }
  }
}

/** Why Slack would refuse these message blocks (empty when valid). `blocks` is the parsed parameter. */
export function blockErrors(blocks: unknown): string[] {
  const checker = new Checker();
  if (!Array.isArray(blocks)) {
    checker.fail("must be an array", "/blocks");
    return checker.errors;
  }
  if (blocks.length > blockLimits.blocks)
    checker.fail(`no more than ${blockLimits.blocks} items allowed`, "/blocks");
  blocks.forEach((block, i) => {
    checker.block(block, `/blocks/${i}`);
  });
  return checker.errors;
}
