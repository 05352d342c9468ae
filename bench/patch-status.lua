-- PATCH pods/hello-world/status with a strategic merge patch, as kubectl patch --subresource=status sends it,
-- alternating two messages so that every request is a real write.
local path = "/api/v1/namespaces/default/pods/hello-world/status"
local headers = { ["Content-Type"] = "application/strategic-merge-patch+json" }
local requests = {}

init = function(args)
  requests[1] = wrk.format("PATCH", path, headers, '{"status":{"message":"one"}}')
  requests[2] = wrk.format("PATCH", path, headers, '{"status":{"message":"two"}}')
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
