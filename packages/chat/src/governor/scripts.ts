/**
 * Lua scripts run atomically in Redis, on Redis's own clock (TIME), so every process sees one
 * timeline and no two processes can both take the last slot of a window.
 */

/**
 * KEYS: n window keys, then n block keys. ARGV: member, then limit, window (ms) and reserve per key
 * (slots this write must leave free). Returns 0 when a slot was taken in every window, else the
 * milliseconds until one frees up.
 */
export const acquireScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local member = ARGV[1]
local n = #KEYS / 2
local wait = 0
for i = 1, n do
  local key = KEYS[i]
  local limit = tonumber(ARGV[3 * i - 1])
  local window = tonumber(ARGV[3 * i])
  local reserve = tonumber(ARGV[3 * i + 1])
  local blocked = tonumber(redis.call('GET', KEYS[n + i]) or '0')
  if blocked > now then wait = math.max(wait, blocked - now) end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local usable = limit - reserve
  local count = redis.call('ZCARD', key)
  if count >= usable then
    local frees = redis.call('ZRANGE', key, count - usable, count - usable, 'WITHSCORES')
    local at = tonumber(frees[2] or now) + window
    wait = math.max(wait, math.max(at - now, 1))
  end
end
if wait > 0 then return wait end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, member)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[3 * i]))
end
return 0
`;

/** KEYS: block key. ARGV: milliseconds from now. Extends a block, never shortens it. */
export const blockScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000) end
return untilMs
`;

/**
 * KEYS: final flag, sequence counter, in-flight set. ARGV: lease ms.
 * Returns the interim write's sequence number, or -1 when the final write has begun.
 */
export const beginInterimScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local seq = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], 86400000)
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), seq)
redis.call('PEXPIRE', KEYS[3], 86400000)
return seq
`;

/**
 * KEYS: final flag, in-flight set. ARGV: final flag lifetime ms.
 * Marks the final write as begun and returns how many interim writes are still in flight
 * (leases past their expiry are dropped: their process died).
 */
export const beginFinalScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', KEYS[1], now, 'PX', tonumber(ARGV[1]))
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
return redis.call('ZCARD', KEYS[2])
`;
