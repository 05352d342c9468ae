-- PUT pods/hello-world/status, alternating two statuses so that every request is a real write
-- (an unchanged status would be a no-op that skips the store). Sent alike to the echo baseline.
local path = "/api/v1/namespaces/default/pods/hello-world/status"
local headers = { ["Content-Type"] = "application/json" }
local requests = {}

local function load(file)
  local f = assert(io.open(file, "r"))
  local body = f:read("*a")
  f:close()
  -- Unconditional updates: without resourceVersion every write wins (pods allow it).
  return (body:gsub('%s*"resourceVersion": "3636",', ""))
end

init = function(args)
  local body = load(args[1])
  local other = body:gsub('"podIP": "172.16.0.4"', '"podIP": "172.16.0.5"')
  requests[1] = wrk.format("PUT", path, headers, body)
  requests[2] = wrk.format("PUT", path, headers, other)
end

local n = 0
request = function()
  n = n + 1
  return requests[(n % 2) + 1]
end

response = function(status, headers, body)
  if status ~= 200 then
    error("unexpected status " .. status .. ": " .. body)
  end
end
