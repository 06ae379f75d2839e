// The ChatPlatform interface and its Discord, Slack and console implementations arrive with issue 5.
export {};
