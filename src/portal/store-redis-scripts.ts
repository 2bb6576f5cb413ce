// The Lua scripts of the Redis challenge store. Redis runs each one atomically, which is what
// makes the per-session cap and single use hold across any number of portal processes.
// A challenge is a hash {c: createdAt, e: expiresAt, u: consumedAt}; per session, "all" lists
// every retained nonce and "open" the unconsumed ones, both sorted sets scored by createdAt.

/** KEYS: challenge, all, open. ARGV: nonce, createdAt, expiresAt, max, keepMs, challengePrefix. */
export const ADD_SCRIPT = `
local keep = tonumber(ARGV[5])
redis.call('HSET', KEYS[1], 'c', ARGV[2], 'e', ARGV[3])
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
local over = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[4])
if over > 0 then
  for _, n in ipairs(redis.call('ZRANGE', KEYS[3], 0, over - 1)) do
    redis.call('DEL', ARGV[6] .. n)
    redis.call('ZREM', KEYS[2], n)
  end
  redis.call('ZREMRANGEBYRANK', KEYS[3], 0, over - 1)
end
if redis.call('PTTL', KEYS[2]) < keep then redis.call('PEXPIRE', KEYS[2], keep) end
if redis.call('PTTL', KEYS[3]) < keep then redis.call('PEXPIRE', KEYS[3], keep) end
return 1`;

/** KEYS: challenge, open. ARGV: at, nonce. 1 when this call consumed it. */
export const CONSUME_SCRIPT = `
local v = redis.call('HMGET', KEYS[1], 'e', 'u')
if not v[1] or v[2] then return 0 end
if tonumber(v[1]) <= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'u', ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1`;

/** KEYS: all. ARGV: challengePrefix. Flat [nonce, c, e, u|''] per record, oldest first; drops expired members. */
export const FOR_SESSION_SCRIPT = `
local out = {}
for _, n in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local v = redis.call('HMGET', ARGV[1] .. n, 'c', 'e', 'u')
  if v[1] then
    out[#out + 1] = n
    out[#out + 1] = v[1]
    out[#out + 1] = v[2]
    out[#out + 1] = v[3] or ''
  else
    redis.call('ZREM', KEYS[1], n)
  end
end
return out`;
