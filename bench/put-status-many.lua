-- PUT pods/bench-K/status over PODS pods in turn (K = 0..PODS-1), alternating two statuses per pod so every
-- request is a real write, and concurrent writers rarely meet on one pod, as kubelets each write their own.
--   wrk ... -s bench/put-status-many.lua URL -- STATUS_JSON PODS
local headers = { ["Content-Type"] = "application/json" }
local requests = {}
local pods

init = function(args)
  local f = assert(io.open(args[1], "r"))
  -- Unconditional writes (no resourceVersion), and no uid: each pod was created with its own.
  local body = f:read("*a"):gsub('%s*"resourceVersion": "3636",', ""):gsub('%s*"uid": "[^"]*",', "")
  f:close()
  pods = tonumber(args[2])
  for k = 0, pods - 1 do
    local name = "bench-" .. k
    local own = body:gsub('"name": "hello%-world"', '"name": "' .. name .. '"'):gsub("/pods/hello%-world", "/pods/" .. name)
    local other = own:gsub('"podIP": "172.16.0.4"', '"podIP": "172.16.0.5"')
    local path = "/api/v1/namespaces/default/pods/" .. name .. "/status"
    requests[2 * k + 1] = wrk.format("PUT", path, headers, own)
    requests[2 * k + 2] = wrk.format("PUT", path, headers, other)
  end
end

-- Consecutive requests go to different pods (pod n mod PODS), each pod alternating its two statuses, so the
-- requests in flight at once are for different pods.
local n = 0
request = function()
  n = n + 1
  local k = n % pods
  local variant = math.floor(n / pods) % 2
  return requests[2 * k + variant + 1]
end

response = function(status, headers, body)
  if status ~= 200 then
    error("unexpected status " .. status .. ": " .. body)
  end
end
