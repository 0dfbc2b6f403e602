import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Vocabulary } from "./api";

const get = vi.fn();
vi.mock("./api", () => ({ get: (path: string) => get(path) }));

const words: Vocabulary = {
  credentials: ["CPS"], jobTypes: ["peer"], separationReasons: ["moved"], reportedStatuses: ["employed-peer"],
  statuses: ["in-peer-work"], tiers: ["I", "II"], retentionFilters: ["state"],
};

// A fresh module each time: the cache lives for the page load, that is for the module.
async function freshVocabulary() {
  vi.resetModules();
  return (await import("./vocab")).vocabulary;
}

describe("vocabulary", () => {
  beforeEach(() => get.mockReset());

  it("asks the API once and answers every later call from the first answer", async () => {
    get.mockResolvedValue(words);
    const vocabulary = await freshVocabulary();
    expect(await vocabulary()).toEqual(words);
    expect(await vocabulary()).toEqual(words);
    expect(get).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledWith("/api/vocabulary");
  });

  it("asks again after a failure instead of keeping the failure", async () => {
    get.mockRejectedValueOnce(new Error("The service cannot be reached.")).mockResolvedValueOnce(words);
    const vocabulary = await freshVocabulary();
    await expect(vocabulary()).rejects.toThrow("cannot be reached");
    expect(await vocabulary()).toEqual(words);
    expect(get).toHaveBeenCalledTimes(2);
  });
});
