-- PUT pods/hello-world/status naming a resourceVersion long replaced: every request is refused with 409 Conflict,
-- what an optimistic writer that lost a race gets (bench/run.sh's "conflict": what a refusal costs).
local path = "/api/v1/namespaces/default/pods/hello-world/status"
local headers = { ["Content-Type"] = "application/json" }
local request_text

init = function(args)
  local f = assert(io.open(args[1], "r"))
  local body = f:read("*a")
  f:close()
  request_text = wrk.format("PUT", path, headers, (body:gsub('"resourceVersion": "3636"', '"resourceVersion": "1"')))
end

request = function()
  return request_text
end

response = function(status, headers, body)
  if status ~= 409 then
    error("unexpected status " .. status .. ": " .. body)
  end
end
