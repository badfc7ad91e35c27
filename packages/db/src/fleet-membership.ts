import type { PrismaClient } from "./generated/prisma/client.js";

/**
 * The projects a pool's shared fleet serves, with their fair-share weight and concurrency limit: its
 * FleetMember rows, or every project when the fleet is open to all (`Fleet.allProjects`, weight 1
 * unless a member row says otherwise). One definition for the API (routing, trial access) and the
 * scheduler (fair shares, worker availability).
 */
export interface FleetMembership {
  projectId: string;
  weight: number;
  maxConcurrentTrials: number | null;
}

export async function fleetMembers(prisma: PrismaClient, pool: string): Promise<FleetMembership[]> {
  const rows = await prisma.fleetMember.findMany({
    where: { pool },
    select: { projectId: true, weight: true, maxConcurrentTrials: true },
  });
  const fleet = await prisma.fleet.findUnique({ where: { pool }, select: { allProjects: true } });
  if (!fleet?.allProjects) return rows;
  const listed = new Set(rows.map((row) => row.projectId));
  const others = await prisma.project.findMany({
    where: { id: { notIn: [...listed] } },
    select: { id: true },
  });
  return [
    ...rows,
    ...others.map((project) => ({ projectId: project.id, weight: 1, maxConcurrentTrials: null })),
  ];
}

/** Whether the pool's fleet serves the project. */
export async function fleetServes(prisma: PrismaClient, pool: string, projectId: string): Promise<boolean> {
  const open = await prisma.fleet.findUnique({ where: { pool }, select: { allProjects: true } });
  if (open?.allProjects) return true;
  const row = await prisma.fleetMember.findUnique({
    where: { pool_projectId: { pool, projectId } },
    select: { pool: true },
  });
  return row !== null;
}

/** The pools whose fleet serves the project. */
export async function poolsServing(prisma: PrismaClient, projectId: string): Promise<string[]> {
  const rows = await prisma.fleetMember.findMany({ where: { projectId }, select: { pool: true } });
  const open = await prisma.fleet.findMany({ where: { allProjects: true }, select: { pool: true } });
  return [...new Set([...rows, ...open].map((row) => row.pool))];
}
