import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BoltTestApp, startBoltApp } from "./bolt-test-app.ts";
import {
  createFakeSlack,
  defaultScopes,
  type FakeSlack,
  messageEventScopes,
  type SharedFileInput,
} from "./index.ts";

type Seen = Record<string, unknown> & { ts?: string; files?: Record<string, unknown>[] };

/** Stand-in audio bytes: every byte value, so a download that re-encodes or truncates them shows. */
const audioBytes = (length: number) => Uint8Array.from({ length }, (_, i) => (i * 37 + 11) % 256);

describe("fake Slack: people sharing audio clips and files, seen by a real Bolt App", () => {
  let fake: FakeSlack;
  let bolt: BoltTestApp;
  let general: string;
  let lobby: string;
  let alice: string;
  const seen: Seen[] = [];

  beforeAll(async () => {
    fake = await createFakeSlack({ scopes: [...defaultScopes, ...messageEventScopes] });
    alice = fake.addUser(fake.teamId, { name: "alice" });
    general = fake.addChannel(fake.teamId, { name: "general" });
    lobby = fake.addChannel(fake.teamId, { name: "lobby", botIsMember: false });
    bolt = await startBoltApp(fake, (app) => {
      app.event("message", async ({ event }) => {
        seen.push(event as unknown as Seen);
      });
    });
  });

  afterAll(async () => {
    await bolt?.stop();
    await fake?.close();
  });

  const share = (
    file: SharedFileInput,
    extra: { channelId?: string; text?: string; threadTs?: string } = {},
  ) =>
    fake.userSharesFile({
      appUrl: bolt.url,
      teamId: fake.teamId,
      channelId: extra.channelId ?? general,
      userId: alice,
      file,
      text: extra.text,
      threadTs: extra.threadTs,
    });
  const arrived = (ts: string) => fake.waitFor(() => seen.find((e) => e.ts === ts));

  it("delivers a clip as a file_share message carrying the slack_audio fields", async () => {
    const bytes = audioBytes(4000);
    const name = "audio_message.m4a";
    const file = { name, mimetype: "audio/mp4", bytes, subtype: "slack_audio", durationMs: 13977 } as const;
    const shared = await share(file);
    expect(shared.deliveries.map((d) => d.status)).toEqual([200]);
    expect(shared.notDelivered).toEqual([
      { subscription: "file_shared", reason: "the app is not subscribed to file_shared" },
    ]);
    const event = await arrived(shared.message.ts);
    const filesPri = `${fake.origin}/files-pri/${fake.teamId}-${shared.fileId}`;
    expect(event).toEqual({
      type: "message",
      subtype: "file_share",
      user: alice,
      ts: shared.message.ts,
      text: "",
      team: fake.teamId,
      channel: general,
      event_ts: shared.message.ts,
      channel_type: "channel",
      upload: false,
      display_as_bot: false,
      files: [
        {
          id: shared.fileId,
          created: expect.any(Number),
          timestamp: expect.any(Number),
          name,
          title: name,
          mimetype: "audio/mp4",
          filetype: "m4a",
          pretty_type: "MPEG 4 Audio",
          user: alice,
          editable: false,
          size: 4000,
          mode: "hosted",
          is_external: false,
          external_type: "",
          is_public: true,
          public_url_shared: false,
          display_as_bot: false,
          username: "",
          subtype: "slack_audio",
          media_display_type: "audio",
          duration_ms: 13977,
          audio_wave_samples: expect.any(Array),
          transcription: { status: "processing" },
          url_private: `${filesPri}/${name}`,
          url_private_download: `${filesPri}/download/${name}`,
          permalink: `${fake.origin}/files/${alice}/${shared.fileId}/${name}`,
        },
      ],
    });
    const [sharedFile] = event.files ?? [];
    expect(sharedFile?.audio_wave_samples).toSatisfy(
      (s: unknown[]) =>
        s.length > 0 && s.every((n) => Number.isInteger(n) && Number(n) >= 0 && Number(n) <= 100),
    );
    expect(shared.urlPrivateDownload).toBe(sharedFile?.url_private_download);
    expect(shared.urlPrivate).toBe(sharedFile?.url_private);
    // People see the message with the file, bytes included.
    const [stored] = fake.messages(general).filter((m) => m.ts === shared.message.ts);
    expect(
      stored?.files.map((f) => [f.id, f.mimetype, Buffer.from(f.bytes).equals(Buffer.from(bytes))]),
    ).toEqual([[shared.fileId, "audio/mp4", true]]);
  });

  it("delivers an uploaded audio file (webm, wav) without the clip fields, with the comment and thread", async () => {
    const memo = await share(
      { name: "memo.webm", mimetype: "audio/webm", bytes: audioBytes(300) },
      { text: "listen &amp; tell me" },
    );
    const event = await arrived(memo.message.ts);
    expect(event).toMatchObject({
      subtype: "file_share",
      text: "listen &amp; tell me",
      client_msg_id: expect.any(String),
      blocks: [{ type: "rich_text" }],
    });
    const [file] = event.files ?? [];
    expect(file).toMatchObject({ mimetype: "audio/webm", filetype: "webm", name: "memo.webm", size: 300 });
    for (const key of ["subtype", "media_display_type", "duration_ms", "audio_wave_samples", "transcription"])
      expect(file).not.toHaveProperty(key);

    const wav = await share(
      { name: "take 2.wav", mimetype: "audio/wav", bytes: audioBytes(44) },
      { threadTs: memo.message.ts },
    );
    const reply = await arrived(wav.message.ts);
    expect(reply).toMatchObject({ thread_ts: memo.message.ts, parent_user_id: alice, text: "" });
    expect(reply.files?.[0]).toMatchObject({ mimetype: "audio/wav", name: "take 2.wav" });
    expect(reply.files?.[0]?.url_private_download).toBe(wav.urlPrivateDownload);
    expect(wav.urlPrivateDownload.endsWith("/download/take%202.wav")).toBe(true);
  });

  it("delivers nothing where the bot is not a member, but stores the share", async () => {
    const before = seen.length;
    const clip = {
      name: "a.m4a",
      mimetype: "audio/mp4",
      bytes: audioBytes(10),
      subtype: "slack_audio",
    } as const;
    const shared = await share(clip, { channelId: lobby });
    expect(shared.deliveries).toEqual([]);
    expect(shared.notDelivered).toEqual([
      { subscription: "message.channels", reason: `the bot is not a member of ${lobby}` },
      { subscription: "file_shared", reason: `the bot is not a member of ${lobby}` },
    ]);
    expect(fake.messages(lobby).map((m) => m.files.map((f) => f.id))).toEqual([[shared.fileId]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.length).toBe(before);
  });

  it("can carry the Slack Connect stub instead of the file; files.info then gives the whole file", async () => {
    const clip = {
      name: "Audio clip (2022-08-22_15-11-01-551).m4a",
      mimetype: "audio/mp4",
      bytes: audioBytes(64),
      subtype: "slack_audio",
      durationMs: 2100,
      checkFileInfoStub: true,
    } as const;
    const shared = await share(clip);
    const event = await arrived(shared.message.ts);
    expect(event.files).toEqual([{ id: shared.fileId, file_access: "check_file_info" }]);
    // Slack Connect events come from a shared channel.
    const envelope = JSON.parse(shared.deliveries[0]?.delivery.body ?? "{}");
    expect(envelope.is_ext_shared_channel).toBe(true);

    const info = await bolt.app.client.files.info({ file: shared.fileId });
    expect(info.file).toMatchObject({
      id: shared.fileId,
      name: clip.name,
      mimetype: "audio/mp4",
      subtype: "slack_audio",
      media_display_type: "audio",
      duration_ms: 2100,
      transcription: { status: "processing" },
      url_private_download: shared.urlPrivateDownload,
    });
  });

  it("refuses shares Slack could not carry", async () => {
    const bytes = audioBytes(8);
    await expect(share({ name: "a.wav", mimetype: "audio/wav", bytes, durationMs: 5 })).rejects.toThrow(
      "for clips",
    );
    await expect(
      share({ name: "a.txt", mimetype: "text/plain", bytes, subtype: "slack_audio" }),
    ).rejects.toThrow("audio/* or video/*");
    await expect(share({ name: "a.wav", mimetype: "audio/wav", bytes: new Uint8Array() })).rejects.toThrow(
      "needs bytes",
    );
    await expect(share({ name: "a/b.wav", mimetype: "audio/wav", bytes })).rejects.toThrow("without");
    await expect(share({ name: "a.wav", mimetype: "audio/wav", bytes }, { text: "1 < 2" })).rejects.toThrow(
      "wire format",
    );
  });
});
