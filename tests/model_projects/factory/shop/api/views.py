def list_users():
    import httpx  # imported lazily: the runtime test does not need httpx installed

    client_response = httpx.get("https://example.com")
    client_response.headers["X-Client"] = "1"
    return {"users": []}
